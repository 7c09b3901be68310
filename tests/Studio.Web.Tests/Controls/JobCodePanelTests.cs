using Bunit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Artifacts;
using Studio.Domain.Jobs;
using Studio.Web.Components.Controls;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Controls;

/// <summary>The job page's Code tab lists each data input with where it comes from and how it reaches the pod.</summary>
public sealed class JobCodePanelTests : StudioTestContext
{
    public JobCodePanelTests() => Services.AddStudioJobs(new ConfigurationBuilder().Build());

    [Fact]
    public void DataInputs_SayHowTheyReachThePod_ARoMountIsADownloadWithoutACsiDriver()
    {
        SignIn("dana");
        var spec = new JobSpec
        {
            Compute = "train",
            Command = "python train.py --data ${{inputs.cifar}} --labels ${{inputs.labels}}",
            DataInputs = new Dictionary<string, JobDataInput>
            {
                ["cifar"] = new(DataAssetType.UriFolder, "azureml://datastores/workspaceblobstore/paths/cifar-10/", "ro_mount"),
                ["labels"] = new(DataAssetType.UriFile, "azureml://datastores/training_blob/paths/labels.csv", "direct"),
            },
        };

        var cut = Render<JobCodePanel>(p => p.Add(x => x.WorkspaceName, "vision").Add(x => x.JobName, "train-1").Add(x => x.Spec, spec));

        Assert.Contains("mounted as download: no CSI driver", cut.Find("[data-testid=job-input-delivery-cifar]").TextContent, StringComparison.Ordinal);
        Assert.Contains("signed read URL", cut.Find("[data-testid=job-input-delivery-labels]").TextContent, StringComparison.Ordinal);
        Assert.Contains("/mnt/studio/inputs/cifar", cut.Find("[data-testid=job-inputs]").TextContent, StringComparison.Ordinal);
    }
}
