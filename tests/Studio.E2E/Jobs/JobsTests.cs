using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Studio.Domain.Artifacts;
using Studio.Domain.Jobs;
using Studio.Domain.Workspaces;
using Studio.E2E.Shared;
using Studio.Infrastructure.Assets;
using Studio.Infrastructure.Jobs;

namespace Studio.E2E.Jobs;

/// <summary>A data scientist (not an administrator) submits, watches and reads training jobs in the browser.</summary>
public sealed class JobsTests(Browser browser) : IClassFixture<Browser>, IAsyncLifetime
{
    private static readonly string SamplePath = Path.Combine(AppContext.BaseDirectory, "Samples", "azureml-examples", "jobs__single-step__pytorch__cifar-distributed__job.yml");
    private static readonly Actor Dana = new(DataScientistStudio.UserId, "Dana Scientist", null);
    private static readonly string[] Lifecycle = ["Queued", "Starting", "Running", "Completed"];

    private DataScientistStudio _server = null!;

    public ValueTask InitializeAsync()
    {
        _server = new DataScientistStudio(speed: 4);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task DataScientist_ImportsTheCifarSample_SubmitsIt_WatchesItRunToCompletedLive_AndReadsMergedLogs()
    {
        var page = await browser.OpenAsync(_server.BaseUrl + "/jobs");
        await Assertions.Expect(page.GetByTestId("empty-state")).ToContainTextAsync("No jobs in this workspace yet", new() { Timeout = 15000 });
        await page.ScreenshotAsync("jobs-list-empty");

        // The form: submitting it empty shows what is missing, field by field.
        await page.ClickUntilVisibleAsync(page.GetByTestId("empty-submit-job"), page.GetByTestId("import-toggle"));
        await Assertions.Expect(page.GetByTestId("preflight")).ToBeVisibleAsync();
        await page.GetByTestId("submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("error-command")).ToContainTextAsync("Enter the command to run.");
        await Assertions.Expect(page.GetByTestId("error-image")).ToBeVisibleAsync();
        await page.ScreenshotAsync("job-form-errors");

        // Import the sample (its compute replaced by the sandbox target), uploaded as a file. Its data input is a data
        // asset of the workspace; its code (code: src) comes from the folder beside it, chosen as a zip.
        await CreateCifarDataAssetAsync();
        var yaml = (await File.ReadAllTextAsync(SamplePath, TestContext.Current.CancellationToken)).Replace("azureml:gpu-cluster", "azureml:local-sandbox", StringComparison.Ordinal);
        await page.GetByTestId("import-toggle").ClickAsync();
        await page.UploadUntilVisibleAsync(
            page.Locator("input[type=file][data-testid=import-file]"),
            new FilePayload { Name = "job.yml", MimeType = "application/yaml", Buffer = Encoding.UTF8.GetBytes(yaml) },
            page.GetByTestId("source-note"));
        await Assertions.Expect(page.GetByTestId("source-note")).ToContainTextAsync("code: src");
        await page.UploadUntilVisibleAsync(
            page.Locator("input[type=file][data-testid=files-zip]"),
            new FilePayload { Name = "cifar.zip", MimeType = "application/zip", Buffer = CodeZip() },
            page.GetByTestId("files-chosen"));
        await Assertions.Expect(page.Locator("textarea[data-testid=field-command]")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("python train.py"));
        await Assertions.Expect(page.Locator("input[data-testid=field-instance-count]")).ToHaveValueAsync("2");
        await Assertions.Expect(page.Locator("input[data-testid=field-display-name]")).ToHaveValueAsync("pytorch-cifar-distributed-example");
        await Assertions.Expect(page.GetByTestId("preflight-verdict")).ToContainTextAsync("Fits now", new() { Timeout = 15000 });
        // With files chosen, the manifests are made when they are read at submit (the job page's Manifests tab shows them).
        await Assertions.Expect(page.GetByTestId("preview-problem")).ToContainTextAsync("read when it is submitted", new() { Timeout = 15000 });
        await page.ScreenshotAsync("job-form-imported");

        // Submit: the detail page opens and follows the job without a reload.
        await page.GetByTestId("submit").ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/jobs/[a-z0-9-]+$"), PageExtensions.SlowNavigation);
        var chip = page.GetByTestId("job-state");
        await Assertions.Expect(chip).ToBeVisibleAsync(new() { Timeout = 15000 });
        var seen = new List<string>();
        var screenshotWhileRunning = false;
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            var state = (await chip.InnerTextAsync()).Trim();
            if (seen.Count == 0 || seen[^1] != state)
            {
                seen.Add(state);
            }

            if (state == "Running" && !screenshotWhileRunning)
            {
                await Assertions.Expect(page.Locator(".studio-log-prefix").First).ToBeVisibleAsync(new() { Timeout = 15000 });
                await page.ScreenshotAsync("job-detail-running");
                screenshotWhileRunning = true;
            }

            if (state is "Completed" or "Failed" or "Canceled")
            {
                break;
            }

            await Task.Delay(100, TestContext.Current.CancellationToken);
        }

        Assert.True(seen.Contains("Running") && seen[^1] == "Completed", $"States seen live: {string.Join(" → ", seen)}");
        // Seen in lifecycle order, without a reload. Queued may be over before the page's first render under load; the
        // timeline then still shows when it was queued.
        Assert.True(seen.SequenceEqual(seen.OrderBy(s => Array.IndexOf(Lifecycle, s))), $"States seen live: {string.Join(" → ", seen)}");
        Console.WriteLine($"States seen live: {string.Join(" → ", seen)}");
        await Assertions.Expect(page.GetByTestId("timeline-Queued")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\d\d:\d\d:\d\d"));
        await Assertions.Expect(page.GetByTestId("timeline-Completed")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\d\d:\d\d:\d\d"));

        // Merged logs: every rank, each with its coloured prefix; search narrows them.
        var logs = page.GetByTestId("log-lines");
        await Assertions.Expect(logs).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\[\w+ 0\]"));
        await Assertions.Expect(logs).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\[\w+ 1\]"));
        await Assertions.Expect(logs).ToContainTextAsync("epoch");
        await page.ScreenshotAsync("job-detail-completed");
        await page.Locator("input[data-testid=log-search]").FillAsync("epoch 10/10");
        await Assertions.Expect(page.GetByTestId("log-matches")).ToContainTextAsync("line(s) match");

        // Inputs: the data asset was fetched before the command started (ro_mount became a download: no CSI driver),
        // its link opens the asset; the literal inputs are shown as values.
        await page.GetByRole(AriaRole.Tab).Filter(new() { HasText = "Inputs (3)" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("job-input-fetch-cifar")).ToContainTextAsync("fetched", new() { Timeout = 15000 });
        await Assertions.Expect(page.GetByTestId("job-input-asset-cifar")).ToHaveAttributeAsync("href", "/w/default/data/cifar-10-example");
        await Assertions.Expect(page.GetByTestId("job-input-mode-cifar")).ToContainTextAsync("ro_mount (default) → download");
        await Assertions.Expect(page.GetByTestId("job-input-size-cifar")).ToContainTextAsync("1 file");
        await Assertions.Expect(page.GetByTestId("job-input-source-epochs")).ToContainTextAsync("1");
        await page.ScreenshotAsync("job-detail-inputs");
    }

    [Fact]
    public async Task DataScientist_SeesAFailedJobExplained_AndAListOfManyJobsWithLongNames()
    {
        var failed = await _server.Services.GetRequiredService<JobSubmissionService>().SubmitAsync(Dana, "default", new JobSpec { Compute = "local-sandbox", Image = "python:3.12", Command = "exit 3", DisplayName = "fails on purpose" }, TestContext.Current.CancellationToken);
        Assert.True(failed.IsSuccess);

        var page = await browser.OpenAsync(_server.BaseUrl + $"/jobs/{failed.Value.Name}");
        await Assertions.Expect(page.GetByTestId("job-state")).ToContainTextAsync("Failed", new() { Timeout = 60000 });
        await Assertions.Expect(page.GetByTestId("failure-explainer")).ToBeVisibleAsync();
        await page.ScreenshotAsync("job-detail-failed");

        var dark = await browser.OpenAsync(_server.BaseUrl + $"/jobs/{failed.Value.Name}", dark: true);
        await Assertions.Expect(dark.GetByTestId("failure-explainer")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await dark.ScreenshotAsync("job-detail-failed-dark");

        // 500 jobs, some with very long display names: the list stays one page of rows at a time.
        var longName = "resnet152-imagenet-finetune-with-mixed-precision-and-gradient-checkpointing-on-a100-sweep-learning-rate-0.0003-batch-512";
        await Parallel.ForEachAsync(Enumerable.Range(0, 499), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            var spec = new JobSpec { Compute = "local-sandbox", Image = "python:3.12", Command = "echo done", DisplayName = i % 7 == 0 ? $"{longName}-{i}" : $"job {i}", ExperimentName = i % 2 == 0 ? "sweep" : "baseline" };
            var r = await _server.Services.GetRequiredService<JobSubmissionService>().SubmitAsync(Dana, "default", spec, ct);
            Assert.True(r.IsSuccess, r.IsSuccess ? null : r.Errors[0].Message);
        });

        // A gang of 256 instances can never be placed at once: it stays queued, and its page explains why in plain words.
        var blocked = await _server.Services.GetRequiredService<JobSubmissionService>().SubmitAsync(Dana, "default", new JobSpec { Compute = "local-sandbox", Image = "python:3.12", Command = "torchrun train.py", InstanceCount = 256, Distribution = new Distribution(DistributionKind.PyTorch, 1), DisplayName = "too big to place" }, TestContext.Current.CancellationToken);
        Assert.True(blocked.IsSuccess, blocked.IsSuccess ? null : blocked.Errors[0].Message);
        page = await browser.OpenAsync(_server.BaseUrl + $"/jobs/{blocked.Value.Name}");
        await Assertions.Expect(page.GetByTestId("pending-explainer")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await Assertions.Expect(page.GetByTestId("explainer-headline")).ToContainTextAsync("Why it will not start: Cannot start on this cluster", new() { Timeout = 30000 });
        await page.ScreenshotAsync("job-detail-queued");

        page = await browser.OpenAsync(_server.BaseUrl + "/jobs");
        await Assertions.Expect(page.GetByTestId("jobs-range")).ToContainTextAsync("of 501 job(s)", new() { Timeout = 15000 });
        await Assertions.Expect(page.Locator("[data-testid^=job-row-]")).ToHaveCountAsync(25);
        await page.ScreenshotAsync("jobs-list-500");

        await page.GotoAsync(_server.BaseUrl + "/jobs?status=Failed");
        await Assertions.Expect(page.GetByTestId("jobs-range")).ToContainTextAsync("1–1 of 1 job(s)", new() { Timeout = 15000 });
        await page.GotoAsync(_server.BaseUrl + "/jobs?experiment=sweep&size=50&page=1");
        await Assertions.Expect(page.GetByTestId("jobs-range")).ToContainTextAsync("51–100 of 250 job(s)", new() { Timeout = 15000 });
        await page.ScreenshotAsync("jobs-list-filtered");

        var darkList = await browser.OpenAsync(_server.BaseUrl + "/jobs", dark: true);
        await Assertions.Expect(darkList.GetByTestId("jobs-range")).ToContainTextAsync("of 501 job(s)", new() { Timeout = 15000 });
        await darkList.ScreenshotAsync("jobs-list-dark");
    }

    [Fact]
    public async Task DataScientist_RegistersACompleteOutputAsAModel_AndATakenVersionIsNamedOnItsField()
    {
        const string yaml = """
            command: echo hello > ${{outputs.model}}/weights.txt && echo ${{inputs.lr}}
            environment: {image: python:3.12-slim}
            inputs:
              lr: 0.01
            outputs:
              model: {type: uri_folder, mode: rw_mount}
            """;
        var submitted = await _server.Services.GetRequiredService<JobSubmissionService>().SubmitYamlAsync(Dana, "default", yaml, "local-sandbox", null, null, TestContext.Current.CancellationToken);
        Assert.True(submitted.IsSuccess, submitted.IsSuccess ? null : string.Join("; ", submitted.Errors.Select(e => $"{e.Field}: {e.Message}")));
        var name = submitted.Value.Name;
        var page = await browser.OpenAsync($"{_server.BaseUrl}/w/default/jobs/{name}?tab=outputs");

        // While the job runs the button says why it waits; once the output is uploaded it opens the dialog.
        await Assertions.Expect(page.GetByTestId("job-output-state-model")).ToContainTextAsync("uploaded · 1 file", new() { Timeout = 90000 });
        await Assertions.Expect(page.GetByTestId("job-output-how-model")).ToContainTextAsync("rw_mount → upload");
        await page.ClickUntilVisibleAsync(page.GetByTestId("job-output-register-model"), page.GetByTestId("register-output-dialog"));
        await page.Locator("input[data-testid=register-name]").FillAsync("weights");
        await page.Locator("input[data-testid=register-version]").FillAsync("1");
        await page.ScreenshotAsync("job-output-register-dialog");
        await page.GetByTestId("register-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("job-output-registered-model")).ToContainTextAsync("model weights:1");
        await Assertions.Expect(page.GetByTestId("job-output-registered-model").Locator("a")).ToHaveAttributeAsync("href", "/w/default/models/weights");

        // The same version again: 409 from the service, shown on the version field; nothing else is registered.
        await page.ClickUntilVisibleAsync(page.GetByTestId("job-output-register-model"), page.GetByTestId("register-output-dialog"));
        await page.Locator("input[data-testid=register-name]").FillAsync("weights");
        await page.Locator("input[data-testid=register-version]").FillAsync("1");
        await page.GetByTestId("register-submit").ClickAsync();
        await Assertions.Expect(page.GetByTestId("register-output-dialog")).ToContainTextAsync("already has version 1");
        await page.ScreenshotAsync("job-output-register-taken");
        var models = await _server.Services.GetRequiredService<ModelService>().GetAsync(Dana, "default", "weights", TestContext.Current.CancellationToken);
        Assert.Single(models.Value.Versions);

        // The Outputs and Inputs tabs at both sizes, light and dark.
        foreach (var (width, height) in new[] { (1440, 900), (1280, 720) })
        {
            foreach (var dark in new[] { false, true })
            {
                foreach (var tab in new[] { "outputs", "inputs" })
                {
                    var shot = await browser.OpenAsync($"{_server.BaseUrl}/w/default/jobs/{name}?tab={tab}", dark, width, height);
                    await Assertions.Expect(shot.GetByTestId(tab == "outputs" ? "job-outputs" : "job-inputs")).ToBeVisibleAsync(new() { Timeout = 15000 });
                    var background = await shot.EvaluateAsync<string>("getComputedStyle(document.body).backgroundColor");
                    Assert.True(IsDark(background) == dark, $"{tab} {width}x{height} dark={dark}: background {background}");
                    // Nothing scrolls sideways at this size: not the page, not the table inside its box.
                    Assert.True(await shot.EvaluateAsync<int>("() => document.documentElement.scrollWidth - window.innerWidth") <= 1, $"{tab} is wider than the window at {width}x{height}");
                    var clipped = await shot.EvaluateAsync<int>("() => Math.max(0, ...Array.from(document.querySelectorAll('.mud-table-container')).map(c => c.scrollWidth - c.clientWidth))");
                    Assert.True(clipped <= 1, $"the {tab} table is {clipped}px wider than its box at {width}x{height}");
                    await shot.ScreenshotAsync($"job-detail-{tab}-{width}x{height}-{(dark ? "dark" : "light")}");
                    await shot.Context.CloseAsync();
                }
            }
        }
    }

    /// <summary>Whether a CSS <c>rgb(...)</c> colour is dark (luminance under a half).</summary>
    private static bool IsDark(string rgb)
    {
        var parts = rgb[(rgb.IndexOf('(', StringComparison.Ordinal) + 1)..rgb.IndexOf(')', StringComparison.Ordinal)].Split(',').Select(p => double.Parse(p, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (0.2126 * parts[0]) + (0.7152 * parts[1]) + (0.0722 * parts[2]) < 128;
    }

    /// <summary>The sample's <c>src</c> folder, zipped as a data scientist would zip the folder beside the YAML.</summary>
    private static byte[] CodeZip()
    {
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("src/train.py").Open());
            writer.Write("import argparse\nprint('training on cifar')\n");
        }

        return buffer.ToArray();
    }

    /// <summary>The data asset the sample reads (<c>azureml:cifar-10-example@latest</c>): one small file in a folder.</summary>
    private async Task CreateCifarDataAssetAsync()
    {
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("data_batch_1").Open());
            writer.Write("not really cifar");
        }

        buffer.Position = 0;
        var created = await _server.Services.GetRequiredService<DataAssetService>().CreateAsync(
            Dana, "default", "cifar-10-example", new DataAssetDraft(DataAssetType.UriFolder, null, null), new AssetUpload(buffer, "cifar.zip", true), TestContext.Current.CancellationToken);
        Assert.True(created.IsSuccess, created.IsSuccess ? null : created.Errors[0].Message);
    }
}
