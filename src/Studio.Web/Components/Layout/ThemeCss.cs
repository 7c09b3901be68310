using Microsoft.AspNetCore.Components.Web;
using MudBlazor;
using Studio.Web.Components.Controls;

namespace Studio.Web.Components.Layout;

/// <summary>
/// The markup <see cref="MudThemeProvider"/> renders for <see cref="StudioTheme"/> (CSS variables for every palette
/// colour, typography, scrollbars), rendered once per mode with <see cref="HtmlRenderer"/> and shared by every circuit.
/// A provider in each circuit rebuilt the same 24 KB string on every render and kept two copies (its current and previous
/// render trees): ~50 KB per open page, measured with <c>bench/Studio.Pages.Bench --memory-only</c>.
/// </summary>
public sealed class ThemeCss(IServiceScopeFactory scopes, ILoggerFactory loggers)
{
    private readonly Lazy<Task<string>> _light = new(() => RenderAsync(scopes, loggers, dark: false));
    private readonly Lazy<Task<string>> _dark = new(() => RenderAsync(scopes, loggers, dark: true));

    /// <summary>The provider's markup (its &lt;style&gt; elements) for light or dark mode.</summary>
    public Task<string> GetAsync(bool dark) => dark ? _dark.Value : _light.Value;

    private static Task<string> RenderAsync(IServiceScopeFactory scopes, ILoggerFactory loggers, bool dark) =>
        StaticMarkup.RenderAsync<MudThemeProvider>(scopes, loggers, new Dictionary<string, object?>
        {
            [nameof(MudThemeProvider.Theme)] = StudioTheme.Theme,
            [nameof(MudThemeProvider.IsDarkMode)] = dark,
        });
}
