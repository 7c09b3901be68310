using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Studio.Jobs.Bench;

namespace Studio.Artifacts.Bench;

/// <summary>
/// Code and data at size, against an in-process studio (Kestrel, SQLite, the local artifact store, the embedded sandbox
/// whose kubelet really downloads what init containers fetch):
/// <list type="number">
/// <item>a 200 MB code snapshot submitted with a job (multipart), against the baseline of the same bytes posted to a
/// Kestrel endpoint in the same process that only reads them: upload MB/s and the ratio;</item>
/// <item>the same code submitted again: the snapshot is found by its hash and not stored a second time (bytes added
/// to the store), and how long the submit took;</item>
/// <item>time from submit to the pod's start for a job without code, with the 200 MB code, and with a 1 GB input
/// folder (a data asset of 100 files, uploaded first: upload MB/s against the same baseline).</item>
/// </list>
/// Usage: <c>dotnet run -c Release --project bench/Studio.Artifacts.Bench [-- --code-mb 200 --input-mb 1024 --files 100]</c>.
/// </summary>
internal static class ArtifactsBench
{
    private const string Workspace = "/api/workspaces/default";

    public static async Task<int> Main(string[] args)
    {
        var codeMb = Arg(args, "--code-mb", 200);
        var inputMb = Arg(args, "--input-mb", 1024);
        var files = Arg(args, "--files", 100);
        var work = Directory.CreateTempSubdirectory("studio-artifacts-bench-").FullName;
        Console.WriteLine($"Artifacts benchmark: {codeMb} MB code snapshot, {inputMb} MB input folder in {files} files, {Environment.ProcessorCount} cores");
        var settings = new Dictionary<string, string>
        {
            ["Studio:Artifacts:MaxSnapshotBytes"] = ((long)(Math.Max(codeMb, inputMb) + 64) * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
        };
        await using var studio = new BenchStudio(1, null, settings);
        await using var discard = await DiscardServer.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(studio.BaseUrl), Timeout = TimeSpan.FromMinutes(30) };
        try
        {
            await WaitForComputeAsync(http);
            var codeZip = Path.Combine(work, "code.zip");
            var inputZip = Path.Combine(work, "input.zip");
            WriteZip(codeZip, 2_000, codeMb * 1024L * 1024, "src");
            WriteZip(inputZip, files, inputMb * 1024L * 1024, "data");
            Console.WriteLine($"code zip {Mb(new FileInfo(codeZip).Length)}, input zip {Mb(new FileInfo(inputZip).Length)} (incompressible content)");

            // Warm up both paths with a small job and a small post.
            await SubmitJobAsync(http, "warm", null, "echo warm");
            await discard.PostAsync(new byte[1024 * 1024]);

            // 1. Code upload vs the baseline.
            var baseline = await discard.PostFileAsync(codeZip);
            var storeBefore = FolderBytes(studio.DataFolder);
            var sw = Stopwatch.StartNew();
            var withCode = await SubmitJobAsync(http, "code", codeZip, "python train.py");
            var codeSeconds = sw.Elapsed.TotalSeconds;
            var storeAfter = FolderBytes(studio.DataFolder);
            var codeBytes = new FileInfo(codeZip).Length;
            Console.WriteLine();
            Console.WriteLine("| step | studio | baseline (read-only endpoint) | ratio |");
            Console.WriteLine("|---|---|---|---|");
            Console.WriteLine($"| submit with {Mb(codeBytes)} code (hash, unpack, store) | {codeSeconds:F1} s, {MbPerS(codeBytes, codeSeconds)} | {baseline:F1} s, {MbPerS(codeBytes, baseline)} | {codeSeconds / baseline:F1}× |");

            // 2. The same code again: found by hash.
            sw.Restart();
            var again = await SubmitJobAsync(http, "code-again", codeZip, "python train.py");
            var againSeconds = sw.Elapsed.TotalSeconds;
            var storeAgain = FolderBytes(studio.DataFolder);
            Console.WriteLine($"| same code again (dedup) | {againSeconds:F1} s, store grew {Mb(storeAgain - storeAfter)} (first time {Mb(storeAfter - storeBefore)}) | {baseline:F1} s | {againSeconds / baseline:F1}× |");

            // 3. A 1 GB input folder as a data asset, then a job reading it.
            var inputBaseline = await discard.PostFileAsync(inputZip);
            sw.Restart();
            await CreateDataAssetAsync(http, "big", inputZip);
            var inputSeconds = sw.Elapsed.TotalSeconds;
            var inputBytes = new FileInfo(inputZip).Length;
            Console.WriteLine($"| upload {Mb(inputBytes)} data asset ({files} files) | {inputSeconds:F1} s, {MbPerS(inputBytes, inputSeconds)} | {inputBaseline:F1} s, {MbPerS(inputBytes, inputBaseline)} | {inputSeconds / inputBaseline:F1}× |");
            var withInput = await SubmitYamlAsync(http, "input", """
                command: ls ${{inputs.data}}
                inputs:
                  data:
                    type: uri_folder
                    path: azureml:big@latest
                environment:
                  image: busybox:1.36
                compute: azureml:local-sandbox
                """);
            var plain = await SubmitJobAsync(http, "plain", null, "echo plain");

            Console.WriteLine();
            Console.WriteLine("| job | submit → pod started | ratio to no code |");
            Console.WriteLine("|---|---|---|");
            var plainStart = await StartDelayAsync(http, plain);
            foreach (var (label, name) in new[] { ("no code, no input", plain), ($"{Mb(codeBytes)} code", withCode), ($"{Mb(codeBytes)} code, resubmitted", again), ($"{Mb(inputBytes)} input folder ({files} files)", withInput) })
            {
                var delay = name == plain ? plainStart : await StartDelayAsync(http, name);
                Console.WriteLine($"| {label} | {delay:F1} s | {delay / plainStart:F1}× |");
            }

            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
            try
            {
                Directory.Delete(studio.DataFolder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string Mb(long bytes) => $"{bytes / 1024d / 1024:F0} MB";

    private static string MbPerS(long bytes, double seconds) => $"{bytes / 1024d / 1024 / seconds:F0} MB/s";

    /// <summary>A zip of <paramref name="count"/> files of random bytes under <paramref name="folder"/>, <paramref name="total"/> bytes in all, stored (random bytes do not compress).</summary>
    private static void WriteZip(string path, int count, long total, string folder)
    {
        var buffer = new byte[total / count];
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        for (var i = 0; i < count; i++)
        {
            Random.Shared.NextBytes(buffer);
            using var entry = zip.CreateEntry($"{folder}/part-{i:D5}.bin", CompressionLevel.NoCompression).Open();
            entry.Write(buffer);
        }

        using var script = new StreamWriter(zip.CreateEntry($"{folder}/train.py").Open());
        script.Write("print('hello')\n");
    }

    private static long FolderBytes(string folder) =>
        Directory.Exists(folder) ? new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) : 0;

    private static async Task<string> SubmitJobAsync(HttpClient http, string label, string? codeZip, string command)
    {
        var job = JsonSerializer.Serialize(new { compute = "local-sandbox", image = "busybox:1.36", command, displayName = $"bench {label}", experimentName = "artifacts-bench" });
        HttpContent content;
        if (codeZip is null)
        {
            content = new StringContent(job, Encoding.UTF8, "application/json");
        }
        else
        {
            var form = new MultipartFormDataContent { { new StringContent(job, Encoding.UTF8, "application/json"), "job" } };
            var file = new StreamContent(File.OpenRead(codeZip), 1024 * 1024);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            form.Add(file, "code", "code.zip");
            content = form;
        }

        using var response = await http.PostAsync($"{Workspace}/jobs", content);
        return await NameAsync(response, label);
    }

    private static async Task<string> SubmitYamlAsync(HttpClient http, string label, string yaml)
    {
        using var response = await http.PostAsync($"{Workspace}/jobs", new StringContent(yaml, Encoding.UTF8, "application/yaml"));
        return await NameAsync(response, label);
    }

    private static async Task<string> NameAsync(HttpResponseMessage response, string label)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"submit {label}: {(int)response.StatusCode} {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("name").GetString()!;
    }

    private static async Task CreateDataAssetAsync(HttpClient http, string name, string zip)
    {
        var form = new MultipartFormDataContent { { new StringContent(JsonSerializer.Serialize(new { name, type = "uri_folder" }), Encoding.UTF8, "application/json"), "meta" } };
        var file = new StreamContent(File.OpenRead(zip), 1024 * 1024);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        form.Add(file, "file", "data.zip");
        using var response = await http.PostAsync($"{Workspace}/data", form);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"data asset {name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>Waits for the job to end and returns the seconds from its creation to its start (the pod's main container running).</summary>
    private static async Task<double> StartDelayAsync(HttpClient http, string name)
    {
        for (var i = 0; i < 3_600; i++)
        {
            var job = await http.GetFromJsonAsync<JsonElement>($"{Workspace}/jobs/{name}");
            var summary = job.GetProperty("summary");
            var state = summary.GetProperty("state").GetString();
            if (state is "Completed" or "Failed" or "Canceled")
            {
                if (state != "Completed" || summary.GetProperty("startedAt").ValueKind != JsonValueKind.String)
                {
                    throw new InvalidOperationException($"job {name} ended {state}: {summary.GetProperty("reason")}");
                }

                return (summary.GetProperty("startedAt").GetDateTimeOffset() - summary.GetProperty("createdAt").GetDateTimeOffset()).TotalSeconds;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"job {name} did not end in 30 minutes");
    }

    private static async Task WaitForComputeAsync(HttpClient http)
    {
        for (var i = 0; i < 240; i++)
        {
            try
            {
                var computes = await http.GetFromJsonAsync<JsonElement[]>($"{Workspace}/computes");
                if (computes?.Any(c => c.GetProperty("state").GetString() == "Succeeded") == true)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(500);
        }

        throw new TimeoutException("the sandbox compute target did not become ready");
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

    /// <summary>The baseline: a Kestrel endpoint in the same process that reads a request body to its end and keeps nothing.</summary>
    private sealed class DiscardServer : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly HttpClient _http;

        private DiscardServer(WebApplication app, string url)
        {
            _app = app;
            _http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(30) };
        }

        public static async Task<DiscardServer> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0").ConfigureKestrel(k => k.Limits.MaxRequestBodySize = null);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            var app = builder.Build();
            app.MapPost("/discard", async (HttpRequest request) =>
            {
                var buffer = new byte[81920];
                while (await request.Body.ReadAsync(buffer) > 0)
                {
                }

                return Results.NoContent();
            });
            await app.StartAsync();
            return new DiscardServer(app, app.Urls.First());
        }

        public async Task PostAsync(byte[] bytes)
        {
            using var response = await _http.PostAsync("/discard", new ByteArrayContent(bytes));
            response.EnsureSuccessStatusCode();
        }

        /// <summary>Posts the file as the studio's clients do (multipart, one part) and returns the seconds it took.</summary>
        public async Task<double> PostFileAsync(string path)
        {
            var sw = Stopwatch.StartNew();
            var form = new MultipartFormDataContent();
            var file = new StreamContent(File.OpenRead(path), 1024 * 1024);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            form.Add(file, "file", Path.GetFileName(path));
            using var response = await _http.PostAsync("/discard", form);
            response.EnsureSuccessStatusCode();
            return sw.Elapsed.TotalSeconds;
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            await _app.DisposeAsync();
        }
    }
}
