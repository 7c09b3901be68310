using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using Studio.Web.Components.Controls;
using Studio.Web.Model;

namespace Studio.Web.Tests.Live;

public sealed class GpuHeatMapRenderTests : BunitContext
{
    public GpuHeatMapRenderTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<ChartMarkup>();
    }

    private static IReadOnlyList<GpuNodeRow> Rows(string owner) =>
        [new GpuNodeRow("a100-0", "gpu", "A100", true, [new GpuSlot(owner, "team/p"), new GpuSlot(null, null)])];

    [Fact]
    public void SameRows_DoNotRenderAgain_NewRowsDo()
    {
        var rows = Rows("vision");
        var cut = Render<GpuHeatMap>(p => p.Add(x => x.Rows, rows).Add(x => x.Hidden, 3));
        var renders = cut.RenderCount;

        cut.Render(p => p.Add(x => x.Rows, rows).Add(x => x.Hidden, 3));
        Assert.Equal(renders, cut.RenderCount);

        cut.Render(p => p.Add(x => x.Rows, rows).Add(x => x.Hidden, 4));
        Assert.True(cut.RenderCount > renders);
        renders = cut.RenderCount;
        Assert.Contains("and 4 more GPU nodes", cut.Markup, StringComparison.Ordinal);

        cut.Render(p => p.Add(x => x.Rows, Rows("nlp")).Add(x => x.Hidden, 4));
        Assert.True(cut.RenderCount > renders);
        Assert.Equal("nlp", cut.Find("[data-testid=gpu-slot-used]").GetAttribute("data-owner"));
    }

    [Fact]
    public void Grid_EncodesNamesOwnersAndPods_AndTwoPagesDrawTheSame()
    {
        IReadOnlyList<GpuNodeRow> rows = [new GpuNodeRow("a100-<0>", "gpu", "A100", false, [new GpuSlot("team \"x\" & co", "ns/p<1>"), new GpuSlot(null, null)])];

        var first = Render<GpuHeatMap>(p => p.Add(x => x.Rows, rows));
        var second = Render<GpuHeatMap>(p => p.Add(x => x.Rows, [.. rows]));

        Assert.Equal("team \"x\" & co", first.Find("[data-testid=gpu-slot-used]").GetAttribute("data-owner"));
        Assert.Equal("a100-<0> · gpu · A100 · NotReady", first.Find(".studio-heatmap-node").GetAttribute("title"));
        Assert.Equal("a100-<0>", first.Find(".studio-heatmap-node").TextContent);
        Assert.Single(first.FindAll("[data-testid=gpu-slot-free]"));
        Assert.Equal(first.Find(".studio-heatmap").OuterHtml, second.Find(".studio-heatmap").OuterHtml);
    }
}
