using Microsoft.Playwright;

namespace Studio.E2E.Shared;

public static class PageExtensions
{
    /// <summary>
    /// For a Blazor navigation that follows server work (registering a cluster, submitting a job): the URL changes in
    /// place (no load event to wait for) and, with every core busy, the work can take longer than the default timeout.
    /// </summary>
    public static PageWaitForURLOptions SlowNavigation { get; } = new() { Timeout = 60_000, WaitUntil = WaitUntilState.Commit };

    /// <summary>
    /// Clicks until <paramref name="until"/> is visible: the first click after a prerendered page loads can land
    /// before the Blazor circuit has attached its handlers.
    /// </summary>
    public static async Task ClickUntilVisibleAsync(this IPage page, ILocator target, ILocator until, int attempts = 20)
    {
        for (var i = 0; i < attempts && !await until.IsVisibleAsync(); i++)
        {
            try
            {
                // Short timeout: once the first click has worked, an opening dialog may cover the target.
                await target.ClickAsync(new LocatorClickOptions { Timeout = 2000 });
                await until.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 3000 });
                return;
            }
            catch (TimeoutException)
            {
            }
        }

        await until.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 5000 });
    }

    /// <summary>
    /// Closes an open popover (a select's list) until <paramref name="open"/> is hidden: Escape first, then a click on
    /// <paramref name="beside"/> (outside the popover), as a user would when a key press is lost.
    /// </summary>
    public static async Task CloseUntilHiddenAsync(this IPage page, ILocator open, ILocator beside, int attempts = 10)
    {
        await page.Keyboard.PressAsync("Escape");
        for (var i = 0; i < attempts && await open.IsVisibleAsync(); i++)
        {
            try
            {
                await open.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = 1000 });
                return;
            }
            catch (TimeoutException)
            {
                // By position: the popover's overlay covers the page and takes the click, which is what closes it.
                if (await beside.BoundingBoxAsync() is { } box)
                {
                    await page.Mouse.ClickAsync(box.X + (box.Width / 2), box.Y + (box.Height / 2));
                }
            }
        }

        await open.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = 5000 });
    }

    /// <summary>Clicks until the page satisfies <paramref name="condition"/> (a JavaScript predicate).</summary>
    public static async Task ClickUntilAsync(this IPage page, ILocator target, string condition, int attempts = 20)
    {
        for (var i = 0; i < attempts; i++)
        {
            // A click before this one may have done its work without the condition showing yet (a round trip under load
            // takes more than a second); clicking again could go past it, or wait on a button that click disabled.
            if (i > 0 && await page.EvaluateAsync<bool>($"({condition})()"))
            {
                return;
            }

            if (await target.IsEnabledAsync())
            {
                await target.ClickAsync();
            }

            try
            {
                await page.WaitForFunctionAsync(condition, null, new PageWaitForFunctionOptions { Timeout = 1000 });
                return;
            }
            catch (TimeoutException)
            {
            }
        }

        await page.WaitForFunctionAsync(condition, null, new PageWaitForFunctionOptions { Timeout = 10000 });
    }

    /// <summary>
    /// Sets a Blazor <c>InputFile</c>'s files until <paramref name="until"/> is visible: Blazor attaches the input's change
    /// listener after the render that created it (a JS interop call), so a file set right after the element appears can
    /// be dispatched before anyone listens.
    /// </summary>
    public static async Task UploadUntilVisibleAsync(this IPage page, ILocator input, FilePayload file, ILocator until, int attempts = 10)
    {
        for (var i = 0; i < attempts && !await until.IsVisibleAsync(); i++)
        {
            await input.SetInputFilesAsync(file);
            try
            {
                await until.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 3000 });
                return;
            }
            catch (TimeoutException)
            {
            }
        }

        await until.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 5000 });
    }

    public static Task ScreenshotAsync(this IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Browser.ArtifactsFolder, name + ".png"), FullPage = true });
}
