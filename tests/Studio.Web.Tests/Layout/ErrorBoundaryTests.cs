using Bunit;
using Microsoft.AspNetCore.Components;
using Studio.Web.Components.Controls;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Layout;

public sealed class ErrorBoundaryTests : StudioTestContext
{
    private sealed class Exploding : ComponentBase
    {
        protected override void OnInitialized() => throw new InvalidOperationException("secret stack detail");
    }

    [Fact]
    public void FailingPage_ShowsFriendlyMessageWithCorrelationId_NeverTheException()
    {
        var cut = Render<StudioErrorBoundary>(p => p.AddChildContent<Exploding>());

        var alert = cut.Find("[data-testid=error-boundary]");
        Assert.Contains("Something went wrong on this page.", alert.TextContent, StringComparison.Ordinal);
        Assert.Matches("correlation id to your administrator: [0-9a-f]{16,32}", alert.TextContent);
        Assert.DoesNotContain("secret stack detail", cut.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void HealthyPage_RendersItsContent()
    {
        var cut = Render<StudioErrorBoundary>(p => p.AddChildContent("<p>fine</p>"));

        Assert.Equal("fine", cut.Find("p").TextContent);
    }
}
