using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace Studio.Web.Components.Controls;

/// <summary>
/// Markup that looks like MudBlazor's but is rendered inline by the calling component, not as child components. A
/// Blazor Server circuit keeps every component it renders (two render-tree buffers, parameter state, closures): about
/// 7 KB each, measured with <c>bench/Studio.Pages.Bench --memory-only</c>. Static chrome (icons, navigation) uses these.
/// </summary>
public static class Html
{
    /// <summary>An SVG icon as <c>MudIcon</c> renders it; <paramref name="icon"/> is one of MudBlazor's <c>Icons.*</c> strings.</summary>
    /// <param name="icon">The icon's SVG content (paths).</param>
    /// <param name="cssClass">Extra classes, e.g. <c>mud-nav-link-icon mud-icon-default</c>.</param>
    /// <param name="size">small, medium or large.</param>
    public static RenderFragment Icon(string icon, string? cssClass = null, string size = "medium") => builder => Icon(builder, icon, cssClass, size);

    /// <summary>Writes an SVG icon into <paramref name="builder"/> (for hand-written render logic).</summary>
    public static void Icon(RenderTreeBuilder builder, string icon, string? cssClass = null, string size = "medium")
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.OpenElement(0, "svg");
        builder.AddAttribute(1, "class", cssClass is null ? $"mud-icon-root mud-svg-icon mud-icon-size-{size}" : $"mud-icon-root mud-svg-icon mud-icon-size-{size} {cssClass}");
        builder.AddAttribute(2, "focusable", "false");
        builder.AddAttribute(3, "viewBox", "0 0 24 24");
        builder.AddAttribute(4, "aria-hidden", "true");
        builder.AddMarkupContent(5, icon);
        builder.CloseElement();
    }
}
