using System.Globalization;
using System.Linq.Expressions;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Studio.Web.Components.Controls;

/// <summary>
/// The list shell's state lives in the URL: a link, a reload or back/forward shows the same filter, page, page size and
/// sort. Changes made here are written back (the filter replaces the entry, page and sort add one), and a page number
/// past the end or below zero is clamped to the nearest page that exists.
/// </summary>
public partial class ListShell<T> : IDisposable
{
    private readonly List<UrlState> _navigated = [];
    private MudDataGrid<T>? _grid;
    private UrlState _state = new(null, 0, 0, null, false);
    private UrlState? _url;
    private string? _gridSort;
    private ListPage<T>? _server;
    private string? _serverProblem;
    private object? _reloadKey;
    private bool _started;
    private CancellationTokenSource? _loading;

    [Inject]
    public required NavigationManager Navigation { get; init; }

    /// <summary>The rows (client side, filtered, sorted and paged here); null while they load. Leave null and set <see cref="ServerData"/> for server paging.</summary>
    [Parameter]
    public IReadOnlyList<T>? Items { get; set; }

    /// <summary>The grid's column definitions (PropertyColumn, TemplateColumn). A sortable column's URL key is its title.</summary>
    [Parameter, EditorRequired]
    public RenderFragment Columns { get; set; } = default!;

    /// <summary>More controls beside the filter (switches, chips).</summary>
    [Parameter]
    public RenderFragment? ToolBar { get; set; }

    /// <summary>Why the list could not be (fully) read; the rows that were read still show.</summary>
    [Parameter]
    public string? Problem { get; set; }

    [Parameter]
    public Severity ProblemSeverity { get; set; } = Severity.Warning;

    [Parameter]
    public string? ProblemTestId { get; set; }

    /// <summary>Shows the text filter (kept in the URL as <c>?q=</c>) with this placeholder.</summary>
    [Parameter]
    public string? FilterPlaceholder { get; set; }

    /// <summary>Whether a row matches the filter text (client side).</summary>
    [Parameter]
    public Func<T, string, bool>? Matches { get; set; }

    [Parameter]
    public string? FilterTestId { get; set; }

    /// <summary>Milliseconds the filter waits for typing to stop (server lists); 0 filters on every key.</summary>
    [Parameter]
    public int FilterDebounce { get; set; }

    /// <summary>The text filter, from the URL (<c>?q=</c>).</summary>
    [SupplyParameterFromQuery(Name = "q")]
    public string? Filter { get; set; }

    /// <summary>Runs after the filter changed.</summary>
    [Parameter]
    public EventCallback<string?> FilterChanged { get; set; }

    [Parameter]
    public string EmptyIcon { get; set; } = Icons.Material.Outlined.Inbox;

    [Parameter, EditorRequired]
    public string EmptyTitle { get; set; } = string.Empty;

    [Parameter]
    public string? EmptyMessage { get; set; }

    [Parameter]
    public RenderFragment? EmptyActions { get; set; }

    [Parameter]
    public string? NoMatchMessage { get; set; }

    /// <summary>Rows per page of the caller's rows; 0 shows every row without a pager.</summary>
    [Parameter]
    public int RowsPerPage { get; set; }

    [Parameter]
    public int[] PageSizes { get; set; } = [25, 50, 100];

    [Parameter]
    public bool Sortable { get; set; } = true;

    /// <summary>Cells keep to one line (long values scroll sideways).</summary>
    [Parameter]
    public bool NoWrap { get; set; }

    /// <summary>More CSS classes on the grid.</summary>
    [Parameter]
    public string? GridClass { get; set; }

    /// <summary>The grid's data-testid.</summary>
    [Parameter, EditorRequired]
    public string TestId { get; set; } = string.Empty;

    /// <summary>Loads one page on the server (filter, page, size and sort from the URL). Leave <see cref="Items"/> null.</summary>
    [Parameter]
    public Func<ListRequest, CancellationToken, Task<ListPage<T>>>? ServerData { get; set; }

    /// <summary>The page's own filters (status, owner, ...) as one value: a change loads the server rows again.</summary>
    [Parameter]
    public object? ReloadKey { get; set; }

    /// <summary>The page's own filters narrow the rows: an empty server page says "nothing matches", not the empty state.</summary>
    [Parameter]
    public bool Filtered { get; set; }

    /// <summary>The sort when the URL names none (a column key, see <see cref="ListRequest.Sort"/>).</summary>
    [Parameter]
    public string? DefaultSort { get; set; }

    /// <summary>Whether the sort runs high to low when the URL does not say (<c>?desc=</c>).</summary>
    [Parameter]
    public bool DefaultDescending { get; set; }

    /// <summary>What the rows are, for the server pager's range ("1–25 of 501 job(s)").</summary>
    [Parameter]
    public string Noun { get; set; } = "item(s)";

    [Parameter]
    public string? RangeTestId { get; set; }

    [SupplyParameterFromQuery(Name = "page")]
    public string? PageQuery { get; set; }

    [SupplyParameterFromQuery(Name = "size")]
    public string? SizeQuery { get; set; }

    [SupplyParameterFromQuery(Name = "sort")]
    public string? SortQuery { get; set; }

    [SupplyParameterFromQuery(Name = "desc")]
    public string? DescendingQuery { get; set; }

    private int DefaultSize => RowsPerPage > 0 ? RowsPerPage : ServerData is null ? 10 : PageSizes.FirstOrDefault(25);

    private bool IsEmpty => ServerData is null
        ? Items is { Count: 0 }
        : _server is { Total: 0 } && _state.Filter is null && !Filtered && _serverProblem is null;

    private string? GridClasses => string.Join(' ', new[] { NoWrap ? "studio-nowrap" : null, GridClass }.OfType<string>()) is { Length: > 0 } classes ? classes : null;

    private string RangeText(int total) => total == 0
        ? "Nothing matches"
        : $"{(_state.Page * _state.Size) + 1}–{Math.Min(total, (_state.Page + 1) * _state.Size)} of {total} {Noun}";

    private int PageCount(int total) => Math.Max(1, (int)Math.Ceiling(total / (double)_state.Size));

    protected override async Task OnParametersSetAsync()
    {
        var url = new UrlState(
            string.IsNullOrWhiteSpace(Filter) ? null : Filter,
            int.TryParse(PageQuery, NumberStyles.Integer, CultureInfo.InvariantCulture, out var page) ? Math.Max(0, page) : 0,
            int.TryParse(SizeQuery, NumberStyles.Integer, CultureInfo.InvariantCulture, out var size) && (PageSizes.Contains(size) || size == RowsPerPage) ? size : DefaultSize,
            string.IsNullOrWhiteSpace(SortQuery) ? DefaultSort : SortQuery.Trim().ToLowerInvariant(),
            DescendingQuery is null ? DefaultDescending : string.Equals(DescendingQuery, "true", StringComparison.OrdinalIgnoreCase));

        var reload = !Equals(_reloadKey, ReloadKey);
        _reloadKey = ReloadKey;

        // The URL catches up with a change made here a round trip later: it must not undo typing or clicks done
        // meanwhile. Only an address this shell did not write itself (a link, back/forward, the page's own filters) moves
        // the list.
        var own = _navigated.IndexOf(url);
        if (own >= 0)
        {
            _navigated.RemoveRange(0, own + 1);
            _url = url;
        }
        else if (_navigated.Count == 0 && url != _url)
        {
            _url = url;
            reload |= url != _state;
            _state = url;
        }

        if (ServerData is not null && (reload || !_started))
        {
            _started = true;
            await LoadAsync();
        }
        else if (ServerData is null)
        {
            ClampClientPage();
        }
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // The grid keeps the page size it was first given: a size from back/forward reaches it here.
        if (_grid is not null && ServerData is null && _grid.RowsPerPage != _state.Size)
        {
            await _grid.SetRowsPerPageAsync(_state.Size, resetPage: false);
        }

        // The grid's columns exist once it rendered: show the URL's sort in its headers (and, for the caller's rows, sort them).
        if (_grid is not null && _gridSort != SortSignature(_state))
        {
            if (_state.Sort is not null && _grid.RenderedColumns.Count == 0)
            {
                // The grid registers its columns as it renders them: look again after that render.
                StateHasChanged();
                return;
            }

            _gridSort = SortSignature(_state);
            var column = _state.Sort is null ? null : _grid.RenderedColumns.FirstOrDefault(c => ColumnKey(c) == _state.Sort);
            if (column?.PropertyName is { } field)
            {
                // The grid keeps the rows it sorted for its last render: render it again to sort them.
                await _grid.SetSortAsync(field, _state.Descending ? SortDirection.Descending : SortDirection.Ascending, SortFunc(column)!, column.Comparer);
                StateHasChanged();
            }
            else
            {
                foreach (var key in _grid.SortDefinitions.Keys.ToList())
                {
                    await _grid.RemoveSortAsync(key);
                }

                StateHasChanged();
            }
        }
    }

    /// <summary>Loads the server page again (after a change the list cannot see: a live update, a cancel).</summary>
    public Task ReloadAsync() => ServerData is null ? Task.CompletedTask : LoadAsync();

    private async Task LoadAsync()
    {
        if (ServerData is null)
        {
            return;
        }

        var loading = new CancellationTokenSource();
        var previous = Interlocked.Exchange(ref _loading, loading);
        if (previous is not null)
        {
            await previous.CancelAsync();
        }

        var request = new ListRequest(_state.Filter?.Trim(), _state.Page, _state.Size, _state.Sort, _state.Descending);
        ListPage<T> page;
        try
        {
            page = await ServerData(request, loading.Token);
        }
        catch (OperationCanceledException) when (loading.IsCancellationRequested)
        {
            return;
        }

        if (loading.IsCancellationRequested)
        {
            return;
        }

        _server = page;
        _serverProblem = page.Problem;

        // A page past the end (rows went away, or an old link): go to the last page that has rows.
        if (page.Items.Count == 0 && page.Total > 0 && _state.Page > 0)
        {
            Write(_state with { Page = PageCount(page.Total) - 1 }, replace: true);
            await LoadAsync();
            return;
        }

        if (_grid is not null)
        {
            await _grid.ReloadServerData();
        }

        StateHasChanged();
    }

    /// <summary>The grid asks for the page this shell loaded (it keeps no page or sort of its own for server lists).</summary>
    private Task<GridData<T>> LoadForGridAsync(GridState<T> state, CancellationToken cancellationToken) =>
        Task.FromResult(new GridData<T> { Items = _server?.Items ?? [], TotalItems = _server?.Total ?? 0 });

    private void ClampClientPage()
    {
        if (Items is null || RowsPerPage <= 0)
        {
            return;
        }

        var last = Math.Max(0, (int)Math.Ceiling(Shown.Count / (double)_state.Size) - 1);
        if (_state.Page > last)
        {
            Write(_state with { Page = last }, replace: true);
        }
    }

    private async Task FilterChangedAsync(string? value)
    {
        Write(_state with { Filter = string.IsNullOrWhiteSpace(value) ? null : value, Page = 0 }, replace: true);
        await FilterChanged.InvokeAsync(_state.Filter);
        await ReloadAsync();
    }

    private async Task PageChangedAsync(int page)
    {
        if (page == _state.Page || page < 0)
        {
            return;
        }

        Write(_state with { Page = page }, replace: false);
        await ReloadAsync();
    }

    private async Task PageSizeChangedAsync(int size)
    {
        if (size == _state.Size || size <= 0)
        {
            return;
        }

        Write(_state with { Size = size, Page = 0 }, replace: false);
        if (_grid is not null && ServerData is null)
        {
            await _grid.SetRowsPerPageAsync(size, resetPage: true);
        }

        await ReloadAsync();
    }

    private async Task SortChangedAsync(Dictionary<string, SortDefinition<T>> definitions)
    {
        var definition = definitions.Values.OrderBy(d => d.Index).FirstOrDefault();
        var column = definition is null ? null : _grid?.RenderedColumns.FirstOrDefault(c => c.PropertyName == definition.SortBy);
        // No sort left (a third click): the list's own order again.
        var sort = column is null ? DefaultSort : ColumnKey(column);
        var descending = column is null ? DefaultDescending : definition!.Descending;
        if (sort == _state.Sort && descending == _state.Descending)
        {
            return;
        }

        var next = _state with { Sort = sort, Descending = descending, Page = 0 };
        _gridSort = SortSignature(next);
        Write(next, replace: false);
        await ReloadAsync();
    }

    private void Write(UrlState state, bool replace)
    {
        _state = state;
        var uri = Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["q"] = state.Filter,
            ["page"] = state.Page == 0 ? null : state.Page.ToString(CultureInfo.InvariantCulture),
            ["size"] = state.Size == DefaultSize ? null : state.Size.ToString(CultureInfo.InvariantCulture),
            ["sort"] = state.Sort == DefaultSort ? null : state.Sort,
            ["desc"] = state.Descending == DefaultDescending ? null : state.Descending ? "true" : "false",
        });
        if (uri != Navigation.Uri)
        {
            _navigated.Add(state);
            Navigation.NavigateTo(uri, replace: replace);
        }
    }

    private static string? SortSignature(UrlState state) => state.Sort is null ? null : $"{state.Sort}:{state.Descending}";

    /// <summary>A column's key in the URL: its title in lower case, spaces as dashes ("Your role" → <c>your-role</c>).</summary>
    private static string? ColumnKey(Column<T> column) =>
        string.IsNullOrWhiteSpace(column.Title) ? null : column.Title.Trim().ToLowerInvariant().Replace(' ', '-');

    /// <summary>What a column sorts by: its SortBy, or the property a PropertyColumn shows.</summary>
    private static Func<T, object?>? SortFunc(Column<T> column)
    {
        if (column.SortBy is { } sortBy)
        {
            return sortBy;
        }

        if (column.GetType().GetProperty("Property")?.GetValue(column) is LambdaExpression property)
        {
            return Expression.Lambda<Func<T, object?>>(Expression.Convert(property.Body, typeof(object)), property.Parameters).Compile();
        }

        return null;
    }

    public void Dispose()
    {
        _loading?.Cancel();
        _loading?.Dispose();
    }

    private IReadOnlyList<T> Shown =>
        Items is null ? [] : _state.Filter is not { } filter || string.IsNullOrWhiteSpace(filter) || Matches is null ? Items : [.. Items.Where(i => Matches(i, filter.Trim()))];

    private sealed record UrlState(string? Filter, int Page, int Size, string? Sort, bool Descending);
}
