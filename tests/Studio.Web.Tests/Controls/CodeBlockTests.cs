using Bunit;
using MudBlazor;
using MudBlazor.Services;
using Studio.Web.Components.Controls;

namespace Studio.Web.Tests.Controls;

/// <summary>Every YAML or JSON block (extension plan, job spec, manifests) can be copied and downloaded.</summary>
public sealed class CodeBlockTests : BunitContext
{
    private const string Yaml = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: train\n";

    public CodeBlockTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        JSInterop.Setup<bool>("studio.copyText", _ => true).SetResult(true);
        Services.AddMudServices();
        Render<MudPopoverProvider>();
    }

    private IRenderedComponent<CodeBlock> RenderBlock() =>
        Render<CodeBlock>(p => p.Add(x => x.Title, "Applied manifests").Add(x => x.Text, Yaml).Add(x => x.FileName, "train-manifests.yaml").Add(x => x.TestId, "manifests"));

    [Fact]
    public void Copy_PutsTheWholeTextOnTheClipboard()
    {
        var cut = RenderBlock();

        cut.Find("button[data-testid=manifests-copy]").Click();

        var call = Assert.Single(JSInterop.Invocations["studio.copyText"]);
        Assert.Equal(Yaml, call.Arguments[0]);
    }

    [Fact]
    public void Download_SavesTheTextUnderItsFileName()
    {
        var cut = RenderBlock();

        cut.Find("button[data-testid=manifests-download]").Click();

        var call = Assert.Single(JSInterop.Invocations["studio.downloadText"]);
        Assert.Equal(["train-manifests.yaml", Yaml], call.Arguments);
    }

    [Fact]
    public void AnEmptyBlock_OffersNothingToCopy()
    {
        var cut = Render<CodeBlock>(p => p.Add(x => x.Text, string.Empty).Add(x => x.TestId, "empty"));

        Assert.Empty(cut.FindAll("button"));
    }
}
