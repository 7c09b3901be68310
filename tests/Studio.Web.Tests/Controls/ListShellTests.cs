using System.Linq.Expressions;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Studio.Web.Components.Controls;

namespace Studio.Web.Tests.Controls;

/// <summary>The list shell keeps the page, the page size and the sort in the URL, as it keeps the filter.</summary>
public sealed class ListShellTests : BunitContext
{
    private static readonly IReadOnlyList<Row> Rows = [.. Enumerable.Range(0, 30).Select(i => new Row($"row-{i:00}", 100 - i))];

    public ListShellTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    private NavigationManager Navigation => Services.GetRequiredService<NavigationManager>();

    private static RenderFragment Columns => builder =>
    {
        builder.OpenComponent<PropertyColumn<Row, string>>(0);
        builder.AddAttribute(1, nameof(PropertyColumn<Row, string>.Property), (Expression<Func<Row, string>>)(r => r.Name));
        builder.AddAttribute(2, nameof(PropertyColumn<Row, string>.Title), "Name");
        builder.CloseComponent();
        builder.OpenComponent<PropertyColumn<Row, int>>(3);
        builder.AddAttribute(4, nameof(PropertyColumn<Row, int>.Property), (Expression<Func<Row, int>>)(r => r.Size));
        builder.AddAttribute(5, nameof(PropertyColumn<Row, int>.Title), "Disk size");
        builder.CloseComponent();
    };

    private IRenderedComponent<ListShell<Row>> RenderList(string url)
    {
        Navigation.NavigateTo(url);
        Render<MudPopoverProvider>();
        return Render<ListShell<Row>>(p => p
            .Add(x => x.Items, Rows)
            .Add(x => x.Columns, Columns)
            .Add(x => x.RowsPerPage, 10)
            .Add(x => x.PageSizes, new[] { 10, 25 })
            .Add(x => x.FilterPlaceholder, "Filter")
            .Add(x => x.Matches, (r, q) => r.Name.Contains(q, StringComparison.Ordinal))
            .Add(x => x.EmptyTitle, "No rows")
            .Add(x => x.TestId, "rows"));
    }

    private static List<string> Names(IRenderedComponent<ListShell<Row>> cut) =>
        [.. cut.FindAll("[data-testid=rows] tbody tr.mud-table-row").Select(r => r.QuerySelector("td")!.TextContent.Trim())];

    [Fact]
    public void Page_FromTheUrl_ShowsThatPage()
    {
        var cut = RenderList("/things?page=2");

        cut.WaitForAssertion(() => Assert.Equal("row-20", Names(cut).FirstOrDefault()));
        Assert.Equal(10, Names(cut).Count);
    }

    [Theory]
    [InlineData("/things?page=99", "row-20", "page=2")]
    [InlineData("/things?page=-3", "row-00", null)]
    [InlineData("/things?page=two", "row-00", null)]
    public void Page_OutOfRangeOrMalformed_ShowsTheNearestPageThatExists(string url, string first, string? inUrl)
    {
        var cut = RenderList(url);

        cut.WaitForAssertion(() => Assert.Equal(first, Names(cut).FirstOrDefault()));
        if (inUrl is not null)
        {
            cut.WaitForAssertion(() => Assert.Contains(inUrl, Navigation.Uri, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void NextPage_IsWrittenToTheUrl_AndBackShowsTheFirstPageAgain()
    {
        var cut = RenderList("/things");
        cut.WaitForAssertion(() => Assert.Equal("row-00", Names(cut).FirstOrDefault()));

        cut.Find("button[aria-label='Next page']").Click();

        cut.WaitForAssertion(() => Assert.Equal("row-10", Names(cut).FirstOrDefault()));
        Assert.EndsWith("/things?page=1", Navigation.Uri, StringComparison.Ordinal);

        // Back (an address the shell did not write) moves the list.
        Navigation.NavigateTo("/things");
        cut.WaitForAssertion(() => Assert.Equal("row-00", Names(cut).FirstOrDefault()));
    }

    [Fact]
    public void Sort_FromTheUrl_SortsTheRowsAndMarksTheColumn()
    {
        var cut = RenderList("/things?sort=name&desc=true");

        cut.WaitForAssertion(() => Assert.Equal("row-29", Names(cut).FirstOrDefault()));

        Navigation.NavigateTo("/things?sort=disk-size");
        cut.WaitForAssertion(() => Assert.Equal("row-29", Names(cut).FirstOrDefault()));
        Navigation.NavigateTo("/things?sort=disk-size&desc=true");
        cut.WaitForAssertion(() => Assert.Equal("row-00", Names(cut).FirstOrDefault()));
    }

    [Fact]
    public void ClickingAColumnHeader_WritesTheSortToTheUrl_AndStartsAtTheFirstPage()
    {
        var cut = RenderList("/things?page=1");
        cut.WaitForAssertion(() => Assert.Equal("row-10", Names(cut).FirstOrDefault()));

        cut.FindAll("th .sortable-column-header").First(h => h.TextContent.Contains("Disk size", StringComparison.Ordinal)).Click();

        cut.WaitForAssertion(() => Assert.EndsWith("/things?sort=disk-size", Navigation.Uri, StringComparison.Ordinal));
        cut.WaitForAssertion(() => Assert.Equal("row-29", Names(cut).FirstOrDefault()));
    }

    [Fact]
    public void Filter_StartsAtTheFirstPage()
    {
        var cut = RenderList("/things?page=1");
        cut.WaitForAssertion(() => Assert.Equal("row-10", Names(cut).FirstOrDefault()));

        cut.Find("input[placeholder=Filter]").Input("row-2");

        cut.WaitForAssertion(() => Assert.EndsWith("/things?q=row-2", Navigation.Uri, StringComparison.Ordinal));
        cut.WaitForAssertion(() => Assert.Equal(["row-20", "row-21", "row-22", "row-23", "row-24", "row-25", "row-26", "row-27", "row-28", "row-29"], Names(cut)));
    }

    [Fact]
    public async Task ServerList_PageAndSortFromTheUrl_AreWhatItAsksFor_AndAPagePastTheEndGoesToTheLast()
    {
        var requests = new List<ListRequest>();
        Navigation.NavigateTo("/things?page=7&sort=name&desc=false");
        Render<MudPopoverProvider>();
        var cut = Render<ListShell<Row>>(p => p
            .Add(x => x.ServerData, (request, _) =>
            {
                requests.Add(request);
                IEnumerable<Row> sorted = request.Sort == "name" && !request.Descending ? Rows.OrderBy(r => r.Name, StringComparer.Ordinal) : Rows.OrderByDescending(r => r.Name, StringComparer.Ordinal);
                return Task.FromResult(new ListPage<Row>([.. sorted.Skip(request.Page * request.PageSize).Take(request.PageSize)], Rows.Count));
            })
            .Add(x => x.Columns, Columns)
            .Add(x => x.RowsPerPage, 10)
            .Add(x => x.PageSizes, new[] { 10, 25 })
            .Add(x => x.DefaultSort, "disk-size")
            .Add(x => x.DefaultDescending, true)
            .Add(x => x.Noun, "row(s)")
            .Add(x => x.RangeTestId, "range")
            .Add(x => x.EmptyTitle, "No rows")
            .Add(x => x.TestId, "rows"));

        cut.WaitForAssertion(() => Assert.Equal("21–30 of 30 row(s)", cut.Find("[data-testid=range]").TextContent.Trim()));
        Assert.Equal("row-20", Names(cut).FirstOrDefault());
        Assert.Equal(new ListRequest(null, 7, 10, "name", false), requests[0]);
        Assert.Equal(new ListRequest(null, 2, 10, "name", false), requests[^1]);
        Assert.Contains("page=2", Navigation.Uri, StringComparison.Ordinal);

        // Reloads (a live update) ask for the same page.
        await cut.InvokeAsync(() => cut.Instance.ReloadAsync());
        Assert.Equal(new ListRequest(null, 2, 10, "name", false), requests[^1]);
    }

    public sealed record Row(string Name, int Size);
}
