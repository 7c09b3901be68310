using Bunit;
using MudBlazor.Services;
using Studio.Infrastructure.Monitoring;
using Studio.Web.Components.Controls;

namespace Studio.Web.Tests.Controls;

/// <summary>The monitoring page's workload panels.</summary>
public sealed class WorkloadPanelsTests : BunitContext
{
    public WorkloadPanelsTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    [Fact]
    public void JobsByState_DrawsEachStateInItsOwnColour_AsLongAsItsShare()
    {
        var view = new WorkloadView(11, [("Queued", 2), ("Running", 4), ("Completed", 4), ("Failed", 1)], [], []);

        var cut = Render<WorkloadPanels>(p => p.Add(x => x.View, view));

        var fills = cut.FindAll(".studio-state-bar .studio-state-fill").Select(f => f.GetAttribute("style")!).ToList();
        Assert.Equal(4, fills.Count);
        var colours = fills.Select(f => f.Split("background:")[1].Trim()).ToList();
        Assert.Equal(4, colours.Distinct().Count());
        Assert.Contains("width:100%", fills[1], StringComparison.Ordinal);
        Assert.Contains("width:50%", fills[0], StringComparison.Ordinal);
        Assert.Equal("Completed 4", System.Text.RegularExpressions.Regex.Replace(cut.Find("[data-testid=state-Completed]").TextContent, @"\s+", " ").Trim());
    }
}
