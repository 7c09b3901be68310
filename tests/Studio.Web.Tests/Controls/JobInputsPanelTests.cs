using Bunit;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Artifacts;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.Assets;
using Studio.Infrastructure.Jobs;
using Studio.Sandbox;
using Studio.Web.Components.Controls;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Controls;

/// <summary>The job page's Inputs tab: each input's source, the mode asked and used (and why), where it is in the pod, its size, and whether it was fetched.</summary>
public sealed class JobInputsPanelTests : ArtifactPagesTestContext
{
    private static readonly Actor Dana = new("dana", "dana", null);

    public JobInputsPanelTests() => Services.AddStudioJobs(new ConfigurationBuilder().Build());

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task<string> SubmitAsync(JobSpec spec)
    {
        var submitted = await Services.GetRequiredService<JobSubmissionService>().SubmitAsync(Dana, "vision", spec, Ct);
        Assert.True(submitted.IsSuccess, submitted.IsSuccess ? null : string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));
        return submitted.Value.Name;
    }

    [Fact]
    public async Task DataAndLiteralInputs_ShowSourceModeUsedAndWhy_PodPath_Size_AndNotYetBeforeAPodStarts()
    {
        // A sandbox that runs no pods: the job stays before its command, so nothing is fetched yet.
        await using var sandbox = await SandboxWorkspace.StartAsync(Services, new SandboxOptions { Port = 0, Simulate = false }, Ct);
        await using (var zip = new MemoryStream(ZipOf(("a.bin", "12345"), ("b/c.bin", "123"))))
        {
            var created = await Services.GetRequiredService<DataAssetService>().CreateAsync(Dana, "vision", "cifar", new DataAssetDraft(DataAssetType.UriFolder, null, null), new AssetUpload(zip, "cifar.zip", true), Ct);
            Assert.True(created.IsSuccess, created.IsSuccess ? null : created.Errors[0].Message);
        }

        var name = await SubmitAsync(new JobSpec
        {
            Compute = "cpu",
            Image = "python:3.12",
            Command = "python train.py --data ${{inputs.cifar}} --labels ${{inputs.labels}} --lr ${{inputs.lr}}",
            Inputs = new Dictionary<string, string> { ["lr"] = "0.01" },
            DataInputs = new Dictionary<string, JobDataInput>
            {
                ["cifar"] = new(DataAssetType.UriFolder, "azureml:cifar@latest"),
                ["labels"] = new(DataAssetType.UriFile, "https://example.com/labels.csv", "direct"),
            },
        });
        SignIn("rita");

        var cut = Render<JobInputsPanel>(p => p.Add(x => x.WorkspaceName, "vision").Add(x => x.JobName, name).Add(x => x.State, JobState.Queued));

        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=job-inputs]")));
        Assert.Equal("/w/vision/data/cifar", cut.Find("[data-testid=job-input-asset-cifar]").GetAttribute("href"));
        Assert.Contains("cifar@latest", cut.Find("[data-testid=job-input-source-cifar]").TextContent, StringComparison.Ordinal);
        Assert.Contains("ro_mount (default) → download", cut.Find("[data-testid=job-input-mode-cifar]").TextContent, StringComparison.Ordinal);
        Assert.Contains("no CSI driver", cut.Find("[data-testid=job-input-mode-why-cifar]").TextContent, StringComparison.Ordinal);
        Assert.Contains("/mnt/studio/inputs/cifar", cut.Find("[data-testid=job-input-cifar]").TextContent, StringComparison.Ordinal);
        Assert.Equal("8 B · 2 files", cut.Find("[data-testid=job-input-size-cifar]").TextContent.Trim());
        Assert.Equal("not yet", cut.Find("[data-testid=job-input-fetch-cifar]").TextContent.Trim());
        // direct: asked and used, no pod path; the command reads the URL itself.
        Assert.Equal("direct", cut.Find("[data-testid=job-input-mode-labels]").TextContent.Trim());
        Assert.Empty(cut.FindAll("[data-testid=job-input-mode-why-labels]"));
        Assert.Contains("read by the command", cut.Find("[data-testid=job-input-fetch-labels]").TextContent, StringComparison.Ordinal);
        Assert.Equal("unknown", cut.Find("[data-testid=job-input-size-labels]").TextContent.Trim());
        // A literal is its value.
        Assert.Equal("0.01", cut.Find("[data-testid=job-input-source-lr]").TextContent.Trim());
        Assert.Equal(string.Empty, cut.Find("[data-testid=job-input-fetch-lr]").TextContent.Trim());
    }

    [Fact]
    public async Task AJobOfAnotherWorkspace_IsNotFound_NoInputsShown()
    {
        await using var sandbox = await SandboxWorkspace.StartAsync(Services, new SandboxOptions { Port = 0, Simulate = false }, Ct);
        var name = await SubmitAsync(new JobSpec { Compute = "cpu", Image = "python:3.12", Command = "echo ${{inputs.n}}", Inputs = new Dictionary<string, string> { ["n"] = "1" } });
        SignIn("mallory");

        var cut = Render<JobInputsPanel>(p => p.Add(x => x.WorkspaceName, "vision").Add(x => x.JobName, name));

        cut.WaitForAssertion(() => Assert.Contains("not found", cut.Markup, StringComparison.OrdinalIgnoreCase));
        Assert.Empty(cut.FindAll("[data-testid=job-inputs]"));
    }

    private static byte[] ZipOf(params (string Path, string Content)[] files)
    {
        using var stream = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                using var entry = zip.CreateEntry(path).Open();
                entry.Write(Encoding.UTF8.GetBytes(content));
            }
        }

        return stream.ToArray();
    }
}
