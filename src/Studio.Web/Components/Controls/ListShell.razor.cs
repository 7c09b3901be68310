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
