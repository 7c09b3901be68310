using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.E2E.Shared;
using Studio.Infrastructure.Jobs;

namespace Studio.E2E;

/// <summary>
/// axe-core over every page of the studio, light and dark: no serious or critical violation (contrast, names of
/// buttons and links, landmarks, ARIA). Each page is photographed (a11y-*.png) for a person to look at.
/// </summary>
public sealed class AccessibilityTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private static readonly Actor Admin = new("local-admin", "Local administrator", WorkspaceRole.Administrator);
    private StudioServer _server = null!;

    public ValueTask InitializeAsync()
    {
        _server = new StudioServer();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task EveryPage_InBothThemes_HasNoSeriousOrCriticalViolation()
    {
        var job = await _server.Services.GetRequiredService<JobSubmissionService>().SubmitAsync(Admin, "default", new JobSpec { Compute = "local-sandbox", Image = "python:3.12", Command = "echo done", DisplayName = "a11y check" }, TestContext.Current.CancellationToken);
        Assert.True(job.IsSuccess, job.IsSuccess ? null : job.Errors[0].Message);
        string[] pages =
        [
            "/", "/workspaces", "/workspaces/default/members", "/clusters", "/clusters/sandbox", "/clusters/sandbox?tab=nodes",
            "/w/default/compute", "/w/default/compute/local-sandbox", "/w/default/jobs", "/w/default/jobs/new", $"/w/default/jobs/{job.Value.Name}",
            "/w/default/environments", "/w/default/data", "/w/default/data?tab=datastores", "/w/default/models", "/w/default/endpoints", "/instance-types", "/instance-types?tab=board", "/monitoring", "/administration",
        ];

        var found = new List<string>();
        foreach (var dark in new[] { false, true })
        {
            foreach (var path in pages)
            {
                var page = await browser.OpenAsync(_server.BaseUrl + path, dark, 1440, 900);
                await Assertions.Expect(page.Locator("h1.studio-title")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator(".mud-skeleton")).ToHaveCountAsync(0, new() { Timeout = 30_000 });
                // Colours are judged as they settle: a button enabled a moment ago is still fading in (MudBlazor's 250 ms
                // transition) and would be measured half-way.
                await page.AddStyleTagAsync(new() { Content = "*, *::before, *::after { transition: none !important; animation: none !important; }" });
                var results = await page.RunAxe();
                foreach (var violation in results.Violations.Where(v => v.Impact is "serious" or "critical"))
                {
                    var where = string.Join(" | ", violation.Nodes.Take(3).Select(n => $"{n.Target} {Short(n.Html)} ({n.Any.FirstOrDefault()?.Message})"));
                    found.Add($"{path}{(dark ? " (dark)" : string.Empty)}: {violation.Impact} {violation.Id} — {violation.Help}; {violation.Nodes.Count()} node(s): {where}");
                }

                await page.ScreenshotAsync($"a11y-{Slug(path)}-{(dark ? "dark" : "light")}");
                await page.Context.CloseAsync();
            }
        }

        Assert.True(found.Count == 0, string.Join("\n", found));
    }

    private static string Short(string? html) => html is null ? string.Empty : html.Length <= 140 ? html : html[..140] + "…";

    private static string Slug(string path) =>
        new([.. path.Trim('/').Select(c => char.IsLetterOrDigit(c) ? c : '-')]);
}
