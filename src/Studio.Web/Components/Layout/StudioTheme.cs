using MudBlazor;

namespace Studio.Web.Components.Layout;

/// <summary>The studio's MudBlazor theme (light and dark palettes); no web fonts (works offline).</summary>
public static class StudioTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3454d1",
            // White on #00897b is 4.3:1; one shade darker passes AA (5.3:1).
            Secondary = "#00796b",
            // Status colours dark enough for white text on them and for text on white (WCAG AA, 4.5:1); MudBlazor's
            // defaults (#00c853, #ffa800, #f44336, #2196f3) are 1.9–3.7:1.
            Success = "#28702d",
            Warning = "#a15c00",
            Error = "#d32f2f",
            Info = "#1565c0",
            // Secondary text (subtitles, captions) at 0.54 black on the page background is 4.4:1.
            TextSecondary = "#5f6368",
            AppbarBackground = "#1f2a44",
            AppbarText = "#ffffff",
            Background = "#f6f7fb",
            DrawerBackground = "#ffffff",
        },
        PaletteDark = new PaletteDark
        {
            // Light primary and secondary need dark text on them: white on #7c9cff is 2.6:1, WCAG AA asks 4.5:1.
            Primary = "#7c9cff",
            PrimaryContrastText = "#0f1320",
            Secondary = "#4db6ac",
            SecondaryContrastText = "#0f1320",
            // The dark status colours are light: dark text on them (white on #3dcb6c is 2.1:1).
            Success = "#3dcb6c",
            SuccessContrastText = "#0f1320",
            Warning = "#ffb545",
            WarningContrastText = "#0f1320",
            Error = "#f64e62",
            ErrorContrastText = "#0f1320",
            Info = "#3299ff",
            InfoContrastText = "#0f1320",
            AppbarBackground = "#161b2b",
            Background = "#0f1320",
            Surface = "#1a2033",
            DrawerBackground = "#151a2a",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"] },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "6px" },
    };
}
