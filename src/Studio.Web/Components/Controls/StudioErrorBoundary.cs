using System.Diagnostics;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace Studio.Web.Components.Controls;

/// <summary>
/// Catches a failing page, logs the exception with a correlation id, and shows a friendly message with that id —
/// never a stack trace.
/// </summary>
public sealed class StudioErrorBoundary : ErrorBoundaryBase
{
    private string? _correlationId;

    [Inject]
    public required ILogger<StudioErrorBoundary> Logger { get; init; }

    protected override Task OnErrorAsync(Exception exception)
    {
        _correlationId = Activity.Current?.TraceId.ToString() is { } trace && trace != default(ActivityTraceId).ToString()
            ? trace
            : Guid.NewGuid().ToString("N")[..16];
        Logger.LogError(exception, "Unhandled error in a page; correlation id {CorrelationId}", _correlationId);
        return Task.CompletedTask;
    }

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        if (CurrentException is null)
        {
            builder.AddContent(0, ChildContent);
            return;
        }

        builder.OpenComponent<MudAlert>(1);
        builder.AddComponentParameter(2, nameof(MudAlert.Severity), Severity.Error);
        builder.AddComponentParameter(3, nameof(MudAlert.Variant), Variant.Outlined);
        builder.AddComponentParameter(4, "data-testid", "error-boundary");
        builder.AddComponentParameter(5, nameof(MudAlert.ChildContent), (RenderFragment)(b =>
        {
            b.OpenComponent<MudText>(0);
            b.AddComponentParameter(1, nameof(MudText.Typo), Typo.h6);
            b.AddComponentParameter(2, nameof(MudText.ChildContent), (RenderFragment)(t => t.AddContent(0, "Something went wrong on this page.")));
            b.CloseComponent();
            b.OpenComponent<MudText>(3);
            b.AddComponentParameter(4, nameof(MudText.ChildContent), (RenderFragment)(t => t.AddContent(0, $"Nothing was lost. Try again, or give this correlation id to your administrator: {_correlationId}")));
            b.CloseComponent();
            b.OpenComponent<MudButton>(5);
            b.AddComponentParameter(6, nameof(MudButton.Variant), Variant.Outlined);
            b.AddComponentParameter(7, nameof(MudButton.Class), "mt-2");
            b.AddComponentParameter(8, nameof(MudButton.OnClick), EventCallback.Factory.Create<MouseEventArgs>(this, Recover));
            b.AddComponentParameter(9, nameof(MudButton.ChildContent), (RenderFragment)(t => t.AddContent(0, "Try again")));
            b.CloseComponent();
        }));
        builder.CloseComponent();
    }
}
