using MudBlazor;
using MudBlazor.Utilities;
using Studio.Web.Components.Layout;

namespace Studio.Web.Tests.Layout;

/// <summary>Text on the theme's filled buttons and chips is readable: WCAG AA asks 4.5:1 for normal text.</summary>
public sealed class ThemeContrastTests
{
    public static TheoryData<string, string> Colors => new()
    {
        { "light", nameof(Palette.Primary) },
        { "light", nameof(Palette.Secondary) },
        { "dark", nameof(Palette.Primary) },
        { "dark", nameof(Palette.Secondary) },
    };

    [Theory]
    [MemberData(nameof(Colors))]
    public void ContrastText_OnTheColor_IsAtLeast4Point5To1(string theme, string color)
    {
        Palette palette = theme == "dark" ? StudioTheme.Theme.PaletteDark : StudioTheme.Theme.PaletteLight;
        var background = (MudColor)typeof(Palette).GetProperty(color)!.GetValue(palette)!;
        var text = (MudColor)typeof(Palette).GetProperty(color + "ContrastText")!.GetValue(palette)!;

        var ratio = Contrast(background, text);

        Assert.True(ratio >= 4.5, $"{theme} {color}: {text} on {background} is {ratio:0.0}:1.");
    }

    [Fact]
    public void DarkPrimaryText_OnTheDarkSurface_IsAtLeast4Point5To1() =>
        Assert.True(Contrast(StudioTheme.Theme.PaletteDark.Primary, StudioTheme.Theme.PaletteDark.Surface) >= 4.5);

    private static double Contrast(MudColor a, MudColor b)
    {
        var (high, low) = (Math.Max(Luminance(a), Luminance(b)), Math.Min(Luminance(a), Luminance(b)));
        return (high + 0.05) / (low + 0.05);
    }

    private static double Luminance(MudColor color)
    {
        static double Channel(byte value)
        {
            var c = value / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }

        return (0.2126 * Channel(color.R)) + (0.7152 * Channel(color.G)) + (0.0722 * Channel(color.B));
    }
}
