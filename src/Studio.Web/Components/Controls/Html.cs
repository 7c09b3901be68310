using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using MudBlazor;

namespace Studio.Web.Components.Controls;

/// <summary>
/// Markup that looks like MudBlazor's but is rendered inline by the calling component, not as child components. A
/// Blazor Server circuit keeps every component it renders (two render-tree buffers, parameter state, closures): about
/// 7 KB each, measured with <c>bench/Studio.Pages.Bench --memory-only</c>. Static chrome (icons, navigation) uses these,
/// and so do the pages open in many circuits at once (monitoring, wall display) and the controls every page shares
/// (page header, stat cards, live indicator, empty state): typography, chips, buttons, grid, alerts and chart legends
/// with the classes MudBlazor 9 renders. Interactive inputs with popovers, dialogs and the charts stay components.
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
        builder.AddAttribute(1, "class", Shared(cssClass is null ? $"mud-icon-root mud-svg-icon mud-icon-size-{size}" : $"mud-icon-root mud-svg-icon mud-icon-size-{size} {cssClass}"));
        builder.AddAttribute(2, "focusable", "false");
        builder.AddAttribute(3, "viewBox", "0 0 24 24");
        builder.AddAttribute(4, "aria-hidden", "true");
        builder.AddMarkupContent(5, icon);
        builder.CloseElement();
    }

    /// <summary>
    /// Text in a MudBlazor typography style, in the element <c>MudText</c> uses for it (h1–h6 for headings, p for
    /// subtitles and body text, span for captions). For a typography that changes (large wall-display type).
    /// </summary>
    public static RenderFragment Text(Typo typo, string? text, string? @class = null, string? style = null, string? testId = null) => builder =>
    {
        builder.OpenElement(0, TagOf(typo));
        builder.AddAttribute(1, "class", Join(TypoClass(typo), @class));
        builder.AddAttribute(2, "style", style);
        builder.AddAttribute(3, "data-testid", testId);
        builder.AddContent(4, text);
        builder.CloseElement();
    };

    /// <summary>A text-variant <c>MudAlert</c> (warning or error) with its icon, around <paramref name="content"/>.</summary>
    public static RenderFragment Alert(Severity severity, RenderFragment content, string? @class = null, string? testId = null) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", Join($"mud-alert mud-alert-text-{Name(severity)} mud-elevation-0", @class));
        builder.AddAttribute(2, "role", "alert");
        builder.AddAttribute(3, "data-testid", testId);
        builder.OpenElement(4, "div");
        builder.AddAttribute(5, "class", "mud-alert-position justify-start");
        builder.OpenElement(6, "div");
        builder.AddAttribute(7, "class", "mud-alert-icon mud-alert-icon-left");
        builder.AddContent(8, Icon(severity switch
        {
            Severity.Error => Icons.Material.Outlined.ErrorOutline,
            Severity.Warning => Icons.Material.Outlined.ReportProblem,
            Severity.Success => Icons.Material.Outlined.CheckCircle,
            _ => Icons.Material.Outlined.Info,
        }));
        builder.CloseElement();
        builder.OpenElement(9, "div");
        builder.AddAttribute(10, "class", "mud-alert-message");
        builder.AddContent(11, content);
        builder.CloseElement();
        builder.CloseElement();
        builder.CloseElement();
    };

    /// <summary>
    /// A chart legend as MudChart draws it below a chart (a marker in the series' palette colour, then its name), for
    /// charts drawn with <c>ShowLegend = false</c>: MudChart's own legend is one component plus one <c>MudText</c> per
    /// series. Not clickable (MudChart's click-to-hide did not survive the next live batch's new series anyway).
    /// </summary>
    public static RenderFragment ChartLegend(IEnumerable<string> names, IReadOnlyList<string> palette) => builder =>
    {
        builder.OpenElement(0, "div");
        builder.AddAttribute(1, "class", "mud-chart mud-chart-legend-bottom");
        builder.OpenElement(2, "div");
        builder.AddAttribute(3, "class", "mud-chart-legend");
        var i = 0;
        foreach (var name in names)
        {
            builder.OpenElement(4, "div");
            builder.AddAttribute(5, "class", "mud-chart-legend-item pa-1");
            builder.OpenElement(6, "span");
            builder.AddAttribute(7, "class", "mud-chart-legend-marker");
            builder.AddAttribute(8, "style", "background-color:" + palette[i++ % palette.Count]);
            builder.CloseElement();
            builder.AddMarkupContent(9, " "); // MudChart's markup has white space between the marker and the name
            builder.OpenElement(10, "span");
            builder.AddAttribute(11, "class", "mud-typography mud-typography-body2");
            builder.AddContent(12, name);
            builder.CloseElement();
            builder.CloseElement();
        }

        builder.CloseElement();
        builder.CloseElement();
    };

    /// <summary>The classes of <c>MudText</c> with <paramref name="typo"/>: <c>mud-typography mud-typography-h6</c>.</summary>
    public static string TypoClass(Typo typo) => Shared("mud-typography mud-typography-" + typo.ToString());

    /// <summary>The classes of an outlined <c>MudChip</c> (put them on a div inside <c>div.mud-chip-container</c>).</summary>
    public static string ChipClass(Color color, Size size = Size.Small) =>
        Shared($"mud-chip mud-chip-outlined mud-chip-size-{Name(size)} mud-chip-color-{Name(color)}");

    /// <summary>The classes of a <c>MudButton</c>: <c>mud-button-root mud-button mud-button-outlined mud-button-outlined-default …</c>.</summary>
    public static string ButtonClass(Variant variant = Variant.Outlined, Color color = Color.Default, Size size = Size.Medium, string? @class = null)
    {
        var v = variant.ToString().ToLowerInvariant();
        return Join($"mud-button-root mud-button mud-button-{v} mud-button-{v}-{Name(color)} mud-button-{v}-size-{Name(size)} mud-ripple", @class);
    }

    /// <summary>A <c>MudGrid</c> container's classes (spacing 0–20).</summary>
    public static string GridClass(int spacing = 2, string? @class = null) => Join($"mud-grid mud-grid-spacing-xs-{spacing} justify-start", @class);

    /// <summary>
    /// A <c>MudItem</c>'s classes for the given breakpoints: <c>GridItemClass(xs: 12, lg: 4)</c> →
    /// <c>mud-grid-item mud-grid-item-xs-12 mud-grid-item-lg-4</c>.
    /// </summary>
    public static string GridItemClass(int xs = 12, int sm = 0, int md = 0, int lg = 0) => Shared(
        "mud-grid-item mud-grid-item-xs-" + xs
        + (sm > 0 ? " mud-grid-item-sm-" + sm : string.Empty)
        + (md > 0 ? " mud-grid-item-md-" + md : string.Empty)
        + (lg > 0 ? " mud-grid-item-lg-" + lg : string.Empty));

    private static string TagOf(Typo typo) => typo switch
    {
        Typo.h1 => "h1",
        Typo.h2 => "h2",
        Typo.h3 => "h3",
        Typo.h4 => "h4",
        Typo.h5 => "h5",
        Typo.h6 => "h6",
        Typo.subtitle1 or Typo.subtitle2 or Typo.body1 or Typo.body2 => "p",
        _ => "span",
    };

    private static string Name<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static string Join(string classes, string? more) => Shared(string.IsNullOrEmpty(more) ? classes : classes + " " + more);

    /// <summary>
    /// One instance of each class string for every render and every circuit: a component keeps its last two render
    /// trees, and a class string built anew on each render would be held twice per component, in every open page. The
    /// classes come from code, so they are few; past <see cref="MaxShared"/> distinct ones a string is returned as is.
    /// </summary>
    private static string Shared(string value)
    {
        if (SharedStrings.TryGetValue(value, out var shared))
        {
            return shared;
        }

        return SharedStrings.Count < MaxShared ? SharedStrings.GetOrAdd(value, value) : value;
    }

    private const int MaxShared = 4096;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> SharedStrings = new(StringComparer.Ordinal);
}
