using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Compute;
using Studio.Infrastructure.Jobs;
using Studio.Infrastructure.Workspaces;
using static Microsoft.Playwright.Assertions;

namespace Studio.E2E.Oidc;

/// <summary>
/// A job's address names its workspace (<c>/w/default/jobs/NAME</c>), so a link works for whoever may see it: mia
/// copies it from the job list, sam (another member) opens it in a fresh browser and sees the job, omar (a member of
/// another workspace only) gets "not found" and nothing of the job. Signed in at the real OpenID Connect provider; none
/// of the three has a studio-wide role.
/// </summary>
[Collection(OidcCollection.Name)]
public sealed class ShareableLinkTests(OidcEnvironment environment)
{
    private const float Slow = 30_000;
    private static readonly Actor Admin = new("alice", "Alice Admin", WorkspaceRole.Administrator);

    [Fact]
    public async Task JobLink_OpensTheJobForAnotherMember_AndIsNotFoundForAMemberOfAnotherWorkspace()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var studio = new OidcStudioFactory(environment.Provider.Issuer, sandbox: true);
        studio.StartServer();
        var workspaces = studio.Services.GetRequiredService<WorkspaceService>();
        Assert.True((await workspaces.SetMemberAsync(Admin, "default", "mia", "Mia Member", WorkspaceRole.DataScientist, ct)).IsSuccess);
        Assert.True((await workspaces.SetMemberAsync(Admin, "default", "sam", "Sam Member", WorkspaceRole.Reader, ct)).IsSuccess);
        Assert.True((await workspaces.CreateAsync(Admin, "speech", null, ct)).IsSuccess);
        Assert.True((await workspaces.SetMemberAsync(Admin, "speech", "omar", "Omar Outsider", WorkspaceRole.DataScientist, ct)).IsSuccess);
        await WaitForComputeAsync(studio, ct);
        var submitted = await studio.Services.GetRequiredService<JobSubmissionService>().SubmitAsync(
            new Actor("mia", "Mia Member", null), "default", new JobSpec { Compute = "local-sandbox", Image = "python:3.12", Command = "echo shared", DisplayName = "shared by link" }, ct);
        Assert.True(submitted.IsSuccess, submitted.IsSuccess ? null : submitted.Errors[0].Message);
        var job = submitted.Value.Name;

        // Mia finds the job in her list; its link is the address she shares.
        string link;
        await using (var mia = await environment.NewBrowserContextAsync())
        {
            var page = await mia.NewPageAsync();
            await page.GotoAsync(new Uri(studio.BaseAddress, "/w/default/jobs").ToString());
            await SignInAsync(page, "mia");
            var anchor = page.GetByTestId($"job-link-{job}");
            await Expect(anchor).ToBeVisibleAsync(new() { Timeout = Slow });
            link = new Uri(studio.BaseAddress, await anchor.GetAttributeAsync("href")).ToString();
        }

        Assert.EndsWith($"/w/default/jobs/{job}", link, StringComparison.Ordinal);

        // Sam, another member, opens it in a browser that has never seen the studio (no workspace cookie).
        await using (var sam = await environment.NewBrowserContextAsync())
        {
            var page = await sam.NewPageAsync();
            await page.GotoAsync(link);
            await SignInAsync(page, "sam");
            await Expect(page).ToHaveURLAsync(link, new() { Timeout = Slow });
            await Expect(page.GetByTestId("job-state")).ToBeVisibleAsync(new() { Timeout = Slow });
            await Expect(page.Locator("h1")).ToHaveTextAsync("shared by link");
            await Expect(page.GetByTestId("workspace-switcher")).ToContainTextAsync("default");
            await page.ScreenshotAsync(new() { Path = Path.Combine(OidcEnvironment.ArtifactsFolder, "job-detail-shared-link.png"), FullPage = true });

            // The old address of the same job still works: it goes to the workspace Sam was just in.
            await page.GotoAsync(new Uri(studio.BaseAddress, $"/jobs/{job}?tab=spec").ToString());
            await Expect(page).ToHaveURLAsync(new Uri(studio.BaseAddress, $"/w/default/jobs/{job}?tab=spec").ToString(), new() { Timeout = Slow });
            await Expect(page.GetByTestId("job-state")).ToBeVisibleAsync(new() { Timeout = Slow });
        }

        // Omar belongs to another workspace only: the workspace is "not found", and nothing of the job shows.
        await using (var omar = await environment.NewBrowserContextAsync())
        {
            var page = await omar.NewPageAsync();
            await page.GotoAsync(link);
            await SignInAsync(page, "omar");
            await Expect(page.GetByTestId("workspace-not-found")).ToContainTextAsync("Workspace 'default' was not found", new() { Timeout = Slow });
            await Expect(page.GetByTestId("job-state")).ToHaveCountAsync(0);
            await Expect(page.Locator("body")).Not.ToContainTextAsync("shared by link");
            await page.ScreenshotAsync(new() { Path = Path.Combine(OidcEnvironment.ArtifactsFolder, "job-link-other-workspace.png"), FullPage = true });

            // The old address sends him to his own workspace, where there is no such job.
            await page.GotoAsync(new Uri(studio.BaseAddress, $"/jobs/{job}").ToString());
            await Expect(page).ToHaveURLAsync(new Uri(studio.BaseAddress, $"/w/speech/jobs/{job}").ToString(), new() { Timeout = Slow });
            await Expect(page.GetByText("Job not found")).ToBeVisibleAsync(new() { Timeout = Slow });
            await Expect(page.Locator("body")).Not.ToContainTextAsync("shared by link");
        }
    }

    /// <summary>The embedded default attaches <c>local-sandbox</c> to <c>default</c> as the studio starts.</summary>
    private static async Task WaitForComputeAsync(OidcStudioFactory studio, CancellationToken ct)
    {
        var computes = studio.Services.GetRequiredService<ComputeService>();
        for (var i = 0; i < 300; i++)
        {
            var list = await computes.ListAsync(Admin, "default", ct);
            if (list.IsSuccess && list.Value.Any(c => c.Name == "local-sandbox" && c.State == ComputeTargetState.Succeeded))
            {
                return;
            }

            await Task.Delay(100, ct);
        }

        Assert.Fail("local-sandbox was not attached to the default workspace.");
    }

    /// <summary>Signs in at the provider and waits for a studio page to be back.</summary>
    private static async Task SignInAsync(IPage page, string login)
    {
        await OidcEnvironment.SignInAtProviderAsync(page, login);
        await Expect(page.Locator("h1")).ToBeVisibleAsync(new() { Timeout = Slow });
    }
}
