using Bunit;
using k8s;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.Infrastructure.InstanceTypes;
using Studio.Infrastructure.Jobs;
using Studio.Sandbox;
using Studio.Web.Components.Controls;
using Studio.Web.Components.Pages;
using Studio.Web.Model;
using Studio.Web.Tests.Shared;

namespace Studio.Web.Tests.Jobs;

/// <summary>The submit form, the job list and the job detail page against the real job service and a sandbox cluster.</summary>
public sealed class JobPagesTests : StudioTestContext
{
    private static readonly Actor Admin = new("admin", "Admin", WorkspaceRole.Administrator);
    private static readonly Actor Dana = new("dana", "dana", null);

    private static readonly string CifarYaml = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Samples", "azureml-examples", "jobs__single-step__pytorch__cifar-distributed__job.yml"));

    public JobPagesTests()
    {
        Services.AddStudioJobs(new ConfigurationBuilder().Build());
        Services.AddTransient<LiveInstanceTypes>();
    }

    private static CancellationToken Ct => Xunit.TestContext.Current.CancellationToken;

    private async Task<SandboxServer> AttachedAsync(bool tracker = false)
    {
        var sandbox = await SandboxWorkspace.StartAsync(Services, new SandboxOptions { Port = 0, Speed = 30 }, Ct);
        if (tracker)
        {
            // A hosted service in the studio (bUnit starts none); the live job feed handles the JobStatusChanged its saves dispatch.
            await Services.GetRequiredService<JobTracker>().StartAsync(Ct);
        }

        return sandbox;
    }

    private IRenderedComponent<CascadingAuthenticationState> RenderPage<TPage>(string user, Action<ComponentParameterCollectionBuilder<TPage>>? parameters = null)
        where TPage : StudioPage => RenderInWorkspace("vision", user, [], parameters);

    private async Task<string> SubmitAsync(string command, string? image = "python:3.12", int instances = 1, Distribution? distribution = null, string? displayName = null)
    {
        var submitted = await Services.GetRequiredService<JobSubmissionService>().SubmitAsync(Dana, "vision", new JobSpec
        {
            Compute = "cpu",
            Image = image,
            Command = command,
            InstanceCount = instances,
            Distribution = distribution ?? Distribution.None,
            DisplayName = displayName,
        }, Ct);
        Assert.True(submitted.IsSuccess, submitted.IsSuccess ? null : submitted.Errors[0].Message);
        return submitted.Value.Name;
    }

    private async Task WaitForStateAsync(string name, JobState state)
    {
        for (var i = 0; i < 300; i++)
        {
            var job = await Services.GetRequiredService<JobQueryService>().GetAsync(Dana, "vision", name, Ct);
            if (job.IsSuccess && job.Value.Summary.State == state)
            {
                return;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail($"Job {name} did not reach {state}.");
    }

    [Fact]
    public async Task Submit_WhenTheFormIsEmpty_ShowsAMessageUnderEachMissingField()
    {
        await using var sandbox = await AttachedAsync();
        var cut = RenderPage<JobSubmit>("dana");
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=submit]").HasAttribute("disabled")));

        cut.Find("button[data-testid=submit]").Click();

        cut.WaitForAssertion(() => Assert.Equal("Enter the command to run.", cut.Find("[data-testid='error-command']").TextContent.Trim()));
        Assert.Contains("container image", cut.Find("[data-testid='error-image']").TextContent, StringComparison.Ordinal);
        // Counted as the pre-flight counts them: problems, one per field with a message.
        Assert.Contains("problems to fix before the job can be submitted", cut.Find("[data-testid=form-errors]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid='error-compute']"));
        Assert.EndsWith("/", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("field-instance-count", "0", "Instance count must be between 1 and")]
    [InlineData("field-retries", "99", "Retries must be between 0 and 10")]
    public async Task Submit_ANumberOutOfRange_IsRefusedWithAFieldMessage_NotSilentlyClamped(string field, string typed, string message)
    {
        await using var sandbox = await AttachedAsync();
        var cut = RenderPage<JobSubmit>("dana");
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=submit]").HasAttribute("disabled")));

        cut.Find("input[data-testid=field-image]").Input("python:3.12");
        cut.Find("textarea[data-testid=field-command]").Input("echo hello");
        cut.Find($"input[data-testid={field}]").Change(typed);
        cut.Find("button[data-testid=submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains(message, cut.Markup, StringComparison.Ordinal));
        Assert.Equal(typed, cut.Find($"input[data-testid={field}]").GetAttribute("value"));
        Assert.EndsWith("/", Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_WhenTheCommandUsesAnUnknownInput_SaysWhichOne()
    {
        await using var sandbox = await AttachedAsync();
        var cut = RenderPage<JobSubmit>("dana");
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=submit]").HasAttribute("disabled")));

        cut.Find("input[data-testid=field-image]").Input("python:3.12");
        cut.Find("textarea[data-testid=field-command]").Input("python train.py --lr ${{inputs.lr}}");
        cut.WaitForAssertion(() => Assert.Contains("Uses: lr", cut.Find("[data-testid=command-hints]").TextContent, StringComparison.Ordinal));
        cut.Find("button[data-testid=submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("${{inputs.lr}}", cut.Find("[data-testid='error-command']").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid='error-image']"));
    }

    [Fact]
    public async Task Submit_ImportingTheCifarSample_FillsTheForm_KeepsItsCodeAndDataAssetInput_AndAsksForItsFiles()
    {
        await using var sandbox = await AttachedAsync();
        var cut = RenderPage<JobSubmit>("dana");
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=submit]").HasAttribute("disabled")));
        cut.Find("button[data-testid=import-toggle]").Click();

        // Under load the click's render can land after Click() returns: wait for the panel rather than assume it.
        cut.WaitForElement("textarea[data-testid=import-yaml]").Input(CifarYaml.Replace("azureml:gpu-cluster", "azureml:cpu", StringComparison.Ordinal));
        cut.Find("button[data-testid=import-apply]").Click();

        // code: src and the data asset input are kept (no longer listed as unsupported): the note asks for the folder beside the YAML.
        cut.WaitForAssertion(() => Assert.Contains("code: src", cut.Find("[data-testid=source-note]").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("[data-testid=import-unsupported]"));
        Assert.Equal("cifar", cut.Find("[data-testid=data-input-cifar] input[data-testid=data-input-name]").GetAttribute("value"));
        Assert.Contains("cifar-10-example", cut.Find("[data-testid=data-input-cifar] [data-testid=data-input-asset]").TextContent, StringComparison.Ordinal);
        Assert.Contains("python train.py", cut.Find("textarea[data-testid=field-command]").GetAttribute("value") ?? cut.Find("textarea[data-testid=field-command]").TextContent, StringComparison.Ordinal);
        Assert.Equal("2", cut.Find("input[data-testid=field-instance-count]").GetAttribute("value"));
        Assert.Equal("pytorch-cifar-distributed-example", cut.Find("input[data-testid=field-display-name]").GetAttribute("value"));
        Assert.Equal("1", cut.Find("input[data-testid=field-process-count]").GetAttribute("value"));
        Assert.Contains("AzureML-acpt-pytorch-2.8-cuda12.6", cut.Find("input[data-testid=field-environment]").GetAttribute("value") ?? "(no value)", StringComparison.Ordinal);
        var inputs = cut.FindAll("[data-testid=inputs] input").Select(i => i.GetAttribute("value")).ToList();
        Assert.Contains("epochs", inputs);
        Assert.Contains("learning_rate", inputs);
    }

    [Fact]
    public async Task Submit_ADataInputRowWithoutItsPath_IsRefusedWithAMessageUnderTheRow()
    {
        await using var sandbox = await AttachedAsync();
        var cut = RenderPage<JobSubmit>("dana");
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=submit]").HasAttribute("disabled")));
        cut.Find("input[data-testid=field-image]").Input("python:3.12");
        cut.Find("textarea[data-testid=field-command]").Input("python train.py --data ${{inputs.training}}");

        cut.Find("button[data-testid=data-input-add]").Click();
        cut.WaitForElement("input[data-testid=data-input-name]").Change("training");
        cut.WaitForElement("[data-testid=data-input-training]");
        cut.Find("button[data-testid=submit]").Click();

        cut.WaitForAssertion(() => Assert.Contains("Enter the path in the datastore", cut.Find("[data-testid=job-files]").TextContent, StringComparison.Ordinal));
        Assert.DoesNotContain("no input has that name", cut.Markup, StringComparison.Ordinal);
        var page = await Services.GetRequiredService<JobQueryService>().ListAsync(Dana, "vision", new JobQuery(), Ct);
        Assert.Equal(0, page.Value.Total);
    }

    [Fact]
    public async Task Import_OfAJobWithAnEnvironmentFile_SaysTheImageComesFromIt_AndNeedsNoImage()
    {
        await using var sandbox = await AttachedAsync();
        var cut = RenderPage<JobSubmit>("dana");
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=submit]").HasAttribute("disabled")));
        cut.Find("button[data-testid=import-toggle]").Click();

        cut.WaitForElement("textarea[data-testid=import-yaml]").Input("command: python train.py\ncompute: azureml:cpu\nenvironment: file:./env/environment.yml\n");
        cut.Find("button[data-testid=import-apply]").Click();

        cut.WaitForAssertion(() => Assert.Contains("file:./env/environment.yml", cut.Find("[data-testid=image-from-files]").TextContent, StringComparison.Ordinal));
        Assert.Contains("environment (file:./env/environment.yml)", cut.Find("[data-testid=source-note]").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Enter a container image", cut.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Import_WhileTyping_EnablesFillTheFormBeforeTheBoxLosesFocus()
    {
        await using var sandbox = await AttachedAsync();
        var cut = RenderPage<JobSubmit>("dana");
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=submit]").HasAttribute("disabled")));
        cut.Find("button[data-testid=import-toggle]").Click();
        cut.WaitForAssertion(() => Assert.True(cut.Find("button[data-testid=import-apply]").HasAttribute("disabled")));

        // Typing or pasting raises "input" events only; "change" comes when the box loses focus, as the first click lands.
        cut.Find("textarea[data-testid=import-yaml]").Input("type: command\ncommand: echo hi\nenvironment: python:3.12\n");

        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=import-apply]").HasAttribute("disabled")));
    }

    [Fact]
    public async Task Submit_ImportingMalformedYaml_NamesThePathOfEachError()
    {
        await using var sandbox = await AttachedAsync();
        var cut = RenderPage<JobSubmit>("dana");
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=submit]").HasAttribute("disabled")));
        cut.Find("button[data-testid=import-toggle]").Click();

        // Under load the click's render can land after Click() returns: wait for the panel rather than assume it.
        cut.WaitForElement("textarea[data-testid=import-yaml]").Input("type: command\ncommand: python x.py\nenvironment: python:3.12\nresources:\n  instance_count: lots\n");
        cut.Find("button[data-testid=import-apply]").Click();

        cut.WaitForAssertion(() => Assert.Contains("resources.instance_count", cut.Find("[data-testid=import-errors]").TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Submit_AValidForm_ShowsThePreflightAndPreviewThenOpensTheDetailPage()
    {
        await using var sandbox = await AttachedAsync();
        var cut = RenderPage<JobSubmit>("dana");
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=submit]").HasAttribute("disabled")));

        cut.Find("input[data-testid=field-image]").Input("python:3.12");
        cut.Find("textarea[data-testid=field-command]").Input("echo hello");

        cut.WaitForAssertion(() => Assert.Equal("Fits now", cut.Find("[data-testid=preflight-verdict]").TextContent.Trim()), TimeSpan.FromSeconds(15));
        cut.WaitForAssertion(() => Assert.Contains("kind: Job", cut.Find("[data-testid=manifest-preview]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        cut.Find("button[data-testid=submit]").Click();

        cut.WaitForAssertion(() => Assert.Matches("/w/vision/jobs/[a-z0-9-]+$", Services.GetRequiredService<NavigationManager>().Uri), TimeSpan.FromSeconds(15));
        var page = await Services.GetRequiredService<JobQueryService>().ListAsync(Dana, "vision", new JobQuery(), Ct);
        Assert.Equal(1, page.Value.Total);
    }

    [Fact]
    public async Task Submit_ThePreviewNamesTheObjectsAsTheSubmittedJobIsNamed()
    {
        await using var sandbox = await AttachedAsync();
        var cut = RenderPage<JobSubmit>("dana");
        cut.WaitForAssertion(() => Assert.False(cut.Find("button[data-testid=submit]").HasAttribute("disabled")));
        cut.Find("input[data-testid=field-image]").Input("python:3.12");
        cut.Find("textarea[data-testid=field-command]").Input("echo hello");
        cut.Find("input[data-testid=field-display-name]").Input("Name check");
        cut.WaitForAssertion(() => Assert.Contains("name-check-", cut.Find("[data-testid=manifest-preview]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
        var preview = cut.Find("[data-testid=manifest-preview]").TextContent;

        cut.Find("button[data-testid=submit]").Click();

        cut.WaitForAssertion(() => Assert.Matches("/w/vision/jobs/[a-z0-9-]+$", Services.GetRequiredService<NavigationManager>().Uri), TimeSpan.FromSeconds(15));
        var name = Services.GetRequiredService<NavigationManager>().Uri.Split('/')[^1];
        Assert.StartsWith("name-check-", name, StringComparison.Ordinal);
        Assert.Contains($"name: {name}-", preview, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Submit_OnARestrictedComputeTarget_ThePickerOffersOnlyItsAllowedInstanceTypes()
    {
        await using var sandbox = await AttachedAsync();
        var catalog = Services.GetRequiredService<InstanceTypeCatalog>();
        Assert.True((await catalog.SetComputeInstanceTypesAsync(Admin, "vision", "cpu", "defaultinstancetype", ["defaultinstancetype"], Ct)).IsSuccess);

        var cut = RenderPage<JobSubmit>("dana");

        cut.WaitForAssertion(() => Assert.Contains("This compute target allows 1 instance type.", cut.Find("[data-testid=instance-type-picker]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task Submit_ForAReader_IsDisabledWithTheReason()
    {
        await using var sandbox = await AttachedAsync();

        var cut = RenderPage<JobSubmit>("rita");

        cut.WaitForAssertion(() => Assert.Contains("Data scientist role", cut.Markup, StringComparison.Ordinal));
        Assert.True(cut.Find("button[data-testid=submit]").HasAttribute("disabled"));
    }

    [Fact]
    public async Task Overview_SaysWhatNeedsMeNow_QueuedJobsOfMyWorkspaces_AsALinkToTheFilteredList()
    {
        await using var sandbox = await AttachedAsync();
        await SubmitAsync("sleep 600");
        await SubmitAsync("sleep 600");
        SignIn("dana");
        Render<MudBlazor.MudPopoverProvider>();

        var cut = Render<CascadingAuthenticationState>(p => p.AddChildContent<Overview>());

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=attention-queued-vision]")), TimeSpan.FromSeconds(10));
        var item = cut.Find("[data-testid=attention-queued-vision]");
        Assert.Contains("2 jobs queued in vision", item.TextContent, StringComparison.Ordinal);
        Assert.Equal("/w/vision/jobs?status=Queued", item.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public async Task List_WhenEmpty_OffersToSubmitAJob()
    {
        await using var sandbox = await AttachedAsync();

        var cut = RenderPage<Studio.Web.Components.Pages.Jobs>("dana");

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=empty-submit-job]")));
    }

    [Fact]
    public async Task List_ShowsNewJobsLiveAndFiltersByStatusFromTheUrl()
    {
        await using var sandbox = await AttachedAsync(tracker: true);
        await SubmitAsync("sleep 600", displayName: "a long one");
        var cut = RenderPage<Studio.Web.Components.Pages.Jobs>("dana");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid^=job-row-]")));

        var second = await SubmitAsync("echo hi", displayName: "short");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid^=job-row-]").Count), TimeSpan.FromSeconds(10));
        await WaitForStateAsync(second, JobState.Completed);
        cut.WaitForAssertion(() => Assert.Contains("Completed", cut.Find($"[data-testid=job-state-{second}]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Equal("1–2 of 2 job(s)", cut.Find("[data-testid=jobs-range]").TextContent.Trim());

        // Status filters live in the URL; several states mean "any of them".
        var navigation = Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("/w/vision/jobs?status=Completed");
        cut.WaitForAssertion(() => Assert.Equal(second, Assert.Single(cut.FindAll("[data-testid^=job-row-]")).GetAttribute("data-testid")!["job-row-".Length..]));
        navigation.NavigateTo("/w/vision/jobs?status=Running,Completed,Queued,Starting");
        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid^=job-row-]").Count));

        // "Active" keeps the jobs that hold or wait for capacity, and says so in the URL.
        cut.Find("[data-testid=filter-active]").Click();
        cut.WaitForAssertion(() => Assert.EndsWith("status=Queued%2CStarting%2CRunning", navigation.Uri, StringComparison.Ordinal));
        cut.WaitForAssertion(() => Assert.DoesNotContain(cut.FindAll("[data-testid^=job-row-]"), r => r.GetAttribute("data-testid") == $"job-row-{second}"));
    }

    [Fact]
    public async Task Detail_OfACompletedDistributedJob_ShowsTimelinePodsByRankAndMergedLogs()
    {
        await using var sandbox = await AttachedAsync(tracker: true);
        var name = await SubmitAsync("torchrun train.py", instances: 2, distribution: new Distribution(DistributionKind.PyTorch, 1));
        await WaitForStateAsync(name, JobState.Completed);

        var cut = RenderPage<Studio.Web.Components.Pages.JobDetail>("dana", p => p.Add(x => x.Name, name));

        cut.WaitForAssertion(() => Assert.Contains("Completed", cut.Find("[data-testid=job-state]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        foreach (var state in new[] { "Queued", "Running", "Completed" })
        {
            Assert.Matches(@"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", cut.Find($"[data-testid=timeline-{state}]").TextContent);
        }

        cut.WaitForAssertion(() => Assert.Contains("[worker 1]", string.Join("\n", cut.FindAll(".studio-log-prefix").Select(p => p.TextContent)), StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Matches(@"\[\w+ 0\]", string.Join("\n", cut.FindAll(".studio-log-prefix").Select(p => p.TextContent)));
        Assert.Contains("loss", cut.Find("[data-testid=log-lines]").TextContent, StringComparison.Ordinal);

        Services.GetRequiredService<NavigationManager>().NavigateTo($"/w/vision/jobs/{name}?tab=pods");

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=pods-table] tbody tr").Count));
        Assert.All(cut.FindAll("[data-testid=pods-table] tbody tr"), row => Assert.Contains("Succeeded", row.TextContent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Detail_OfARunningJob_TicksItsDurationAndAgeWithoutAStateChange()
    {
        await using var sandbox = await AttachedAsync(tracker: true);
        var name = await SubmitAsync("sleep 6000");
        await WaitForStateAsync(name, JobState.Running);

        var cut = RenderPage<Studio.Web.Components.Pages.JobDetail>("dana", p => p.Add(x => x.Name, name));
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=job-duration]")), TimeSpan.FromSeconds(10));
        var duration = cut.Find("[data-testid=job-duration]").TextContent;

        cut.WaitForAssertion(() => Assert.NotEqual(duration, cut.Find("[data-testid=job-duration]").TextContent), TimeSpan.FromSeconds(5));
        Assert.Contains("Running", cut.Find("[data-testid=job-state]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Detail_OfAFailedJob_ExplainsTheFailure()
    {
        await using var sandbox = await AttachedAsync(tracker: true);
        var name = await SubmitAsync("exit 3");
        await WaitForStateAsync(name, JobState.Failed);

        var cut = RenderPage<Studio.Web.Components.Pages.JobDetail>("dana", p => p.Add(x => x.Name, name));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=failure-explainer]")), TimeSpan.FromSeconds(10));
        Assert.Contains("Failed", cut.Find("[data-testid=timeline-Failed]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=cancel-job]"));
        Assert.NotNull(cut.Find("[data-testid=rerun-job]"));
    }

    [Fact]
    public async Task Detail_AfterTheNamespaceIsDeleted_StillShowsTimelinePodsAndTheKeptLogs()
    {
        await using var sandbox = await AttachedAsync(tracker: true);
        var name = await SubmitAsync("echo kept after the cluster forgets");
        await WaitForStateAsync(name, JobState.Completed);
        for (var i = 0; i < 100 && !(await Services.GetRequiredService<JobQueryService>().GetAsync(Dana, "vision", name, Ct)).Value.Pods.All(p => p.HasLogTail); i++)
        {
            await Task.Delay(100, Ct);
        }

        using var client = new k8s.Kubernetes(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(sandbox.CreateKubeconfigYaml()))));
        await client.CoreV1.DeleteNamespaceAsync("vision-cpu", cancellationToken: Ct);
        for (var i = 0; i < 100 && (await client.CoreV1.ListNamespaceAsync(cancellationToken: Ct)).Items.Any(n => n.Metadata.Name == "vision-cpu"); i++)
        {
            await Task.Delay(100, Ct);
        }

        var cut = RenderPage<Studio.Web.Components.Pages.JobDetail>("dana", p => p.Add(x => x.Name, name));

        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=from-record]")), TimeSpan.FromSeconds(10));
        Assert.Contains("Completed", cut.Find("[data-testid=job-state]").TextContent, StringComparison.Ordinal);
        Assert.Matches(@"\d\d:\d\d:\d\d", cut.Find("[data-testid=timeline-Completed]").TextContent);
        cut.WaitForAssertion(() => Assert.Contains("kept after the cluster forgets", cut.Find("[data-testid=log-lines]").TextContent, StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        Assert.Contains("last lines", cut.Find("[data-testid=log-notice]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rerun_FromTheDetailPage_PrefillsTheFormWithTheJobsSpec()
    {
        await using var sandbox = await AttachedAsync();
        var name = await SubmitAsync("torchrun train.py --lr 0.1", instances: 2, distribution: new Distribution(DistributionKind.PyTorch, 2), displayName: "resnet sweep");
        Services.GetRequiredService<NavigationManager>().NavigateTo($"/w/vision/jobs/new?from={name}&rerun=true");

        var cut = RenderPage<JobSubmit>("dana");

        cut.WaitForAssertion(() => Assert.Contains($"The same job as '{name}'", cut.Find("[data-testid=source-note]").TextContent, StringComparison.Ordinal));
        Assert.Equal("resnet sweep", cut.Find("input[data-testid=field-display-name]").GetAttribute("value"));
        Assert.Equal("2", cut.Find("input[data-testid=field-instance-count]").GetAttribute("value"));
        Assert.Equal("2", cut.Find("input[data-testid=field-process-count]").GetAttribute("value"));
        Assert.Equal("python:3.12", cut.Find("input[data-testid=field-image]").GetAttribute("value"));
        Assert.Contains($"Re-run {name}", cut.Markup, StringComparison.Ordinal);
    }
}
