using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Studio.Web.Components.Controls;

/// <summary>The list shell's parameters: what the caller gives it (rows or a server loader, columns, filter, paging) and
/// the URL's query values it reads (<c>?page=</c>, <c>?size=</c>, <c>?sort=</c>, <c>?desc=</c>).</summary>
public partial class ListShell<T>
{
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
}
