using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Jobs;
using Studio.Sandbox;
using Studio.Web.Components.Controls;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Controls;

/// <summary>The job page's Outputs tab: the Register button for those who may write, disabled with the reason until the output is uploaded.</summary>
public sealed class JobOutputsPanelTests : ArtifactPagesTestContext
{
    private static readonly Actor Dana = new("dana", "dana", null);

    public JobOutputsPanelTests() => Services.AddStudioJobs(new ConfigurationBuilder().Build());

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task<(string Name, JobSpec Spec)> PendingJobAsync()
    {
        var spec = new JobSpec
        {
            Compute = "cpu",
            Image = "python:3.12",
            Command = "echo hi > ${{outputs.model}}/w.txt",
            DataOutputs = new Dictionary<string, JobDataOutput> { ["model"] = new() },
        };
        var submitted = await Services.GetRequiredService<JobSubmissionService>().SubmitAsync(Dana, "vision", spec, Ct);
        Assert.True(submitted.IsSuccess, submitted.IsSuccess ? null : string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));
        return (submitted.Value.Name, spec);
    }

    [Fact]
    public async Task WhileTheJobRuns_RegisterIsDisabled_WithTheReason_AndTheHowColumnIsShort()
    {
        // A sandbox that runs no pods: the job never ends, so its output stays pending.
        await using var sandbox = await SandboxWorkspace.StartAsync(Services, new SandboxOptions { Port = 0, Simulate = false }, Ct);
        var (name, spec) = await PendingJobAsync();
        SignIn("dana");

        var cut = Render<JobOutputsPanel>(p => p.Add(x => x.WorkspaceName, "vision").Add(x => x.JobName, name).Add(x => x.Spec, spec).Add(x => x.State, JobState.Queued).Add(x => x.CanRegister, true));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=job-output-register-model]")));
        Assert.True(cut.Find("[data-testid=job-output-register-model]").HasAttribute("disabled"));
        Assert.Contains("still running", cut.Find("[data-testid=job-output-register-why-model]").TextContent, StringComparison.Ordinal);
        Assert.Equal("rw_mount (default) → upload", cut.Find("[data-testid=job-output-how-model] span").TextContent.Trim());
    }

    [Fact]
    public async Task Readers_SeeNoRegisterButton()
    {
        await using var sandbox = await SandboxWorkspace.StartAsync(Services, new SandboxOptions { Port = 0, Simulate = false }, Ct);
        var (name, spec) = await PendingJobAsync();
        SignIn("rita");

        var cut = Render<JobOutputsPanel>(p => p.Add(x => x.WorkspaceName, "vision").Add(x => x.JobName, name).Add(x => x.Spec, spec).Add(x => x.State, JobState.Queued).Add(x => x.CanRegister, false));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=job-outputs]")));
        Assert.Empty(cut.FindAll("[data-testid=job-output-register-model]"));
    }
}
