using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// Init containers, one after the other before the pod's containers start. Their transfers are real: every http(s) URL
/// in an init container's <c>*_URL</c> environment variables is fetched (a studio code snapshot, a signed input), so a
/// wrong, altered or expired URL fails the init container with the server's own answer — as BusyBox's wget would print
/// it — and, with <c>restartPolicy: Never</c>, the pod. Nothing is executed: the bytes are read and counted.
/// </summary>
internal sealed partial class Kubelet
{
    private static readonly HttpClient Fetcher = new(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = TimeSpan.FromMinutes(10) };

    /// <summary>Pulls and starts the pod's (main) containers, once its init containers have completed.</summary>
    private void StartMain(PodRun run, StoredObject stored)
    {
        foreach (var c in run.Containers)
        {
            c.Reason = "ContainerCreating";
            _sim.Recorder.Record(stored, "Pod", "v1", "Normal", "Pulling", $"Pulling image \"{c.Image}\"", Component, run.Node, $"spec.containers{{{c.Name}}}");
            var epoch = c.Epoch;
            _sim.After(c.Rule.PullSeconds, () => Pulled(run, c, epoch));
        }
    }

    private void StartInit(PodRun run, StoredObject stored, int index)
    {
        var c = run.InitContainers[index];
        c.Reason = "PodInitializing";
        var field = $"spec.initContainers{{{c.Name}}}";
        _sim.Recorder.Record(stored, "Pod", "v1", "Normal", "Pulling", $"Pulling image \"{c.Image}\"", Component, run.Node, field);
        var epoch = c.Epoch;
        _sim.After(c.Rule.PullSeconds, () =>
        {
            if (!Current(run, c, epoch) || _sim.Store.Get("pods", run.Namespace, run.Name) is not { } pod)
            {
                return;
            }

            c.Attempt++;
            c.State = "running";
            c.Reason = null;
            c.StartedAt = Simulator.Timestamp();
            c.ContainerId = "containerd://" + Names.Fnv(run.Uid + c.Name + c.Attempt).ToString("x16", CultureInfo.InvariantCulture) + Names.Fnv(c.Name + run.Uid).ToString("x16", CultureInfo.InvariantCulture);
            _sim.Recorder.Record(pod, "Pod", "v1", "Normal", "Pulled", $"Container image \"{c.Image}\" already present on machine", Component, run.Node, field);
            _sim.Recorder.Record(pod, "Pod", "v1", "Normal", "Created", $"Created container: {c.Name}", Component, run.Node, field);
            _sim.Recorder.Record(pod, "Pod", "v1", "Normal", "Started", $"Started container {c.Name}", Component, run.Node, field);
            WriteStatus(run);
            if (run.IsSidecar(c))
            {
                // A native sidecar keeps running; the next init container (or the main ones) starts once it has started.
                c.Ready = true;
                if (index + 1 < run.InitContainers.Count)
                {
                    StartInit(run, pod, index + 1);
                }
                else
                {
                    StartMain(run, pod);
                }

                return;
            }

            var urls = run.FetchUrls.GetValueOrDefault(c.Name) ?? [];
            _ = Task.Run(async () =>
            {
                using var kept = c.Name is FetchEnvironmentContainer or FetchContextContainer ? new MemoryStream() : null;
                var (lines, error) = await FetchAllAsync(urls, kept).ConfigureAwait(false);
                var conda = error is null && kept is not null && c.Name == FetchEnvironmentContainer ? CondaFileOf(kept) : null;
                var context = error is null && kept is not null && c.Name == FetchContextContainer ? kept.ToArray() : null;
                _sim.Post(() =>
                {
                    run.CondaFile ??= conda;
                    run.BuildContext ??= context;
                    InitFinished(run, c, epoch, index, lines, error);
                });
            });
        });
    }

    private void InitFinished(PodRun run, ContainerRun c, int epoch, int index, List<string> lines, string? error)
    {
        if (!Current(run, c, epoch) || _sim.Store.Get("pods", run.Namespace, run.Name) is not { } pod)
        {
            return;
        }

        foreach (var line in lines)
        {
            _sim.Logs.Append(run.Namespace, run.Name, c.Name, line);
        }

        c.State = "terminated";
        c.FinishedAt = Simulator.Timestamp();
        c.ExitCode = error is null ? 0 : 1;
        c.Reason = error is null ? "Completed" : "Error";
        c.Message = error;
        if (error is null)
        {
            WriteStatus(run);
            if (index + 1 < run.InitContainers.Count)
            {
                StartInit(run, pod, index + 1);
            }
            else
            {
                StartMain(run, pod);
            }

            return;
        }

        _sim.Recorder.Record(pod, "Pod", "v1", "Warning", "Failed", $"Init container {c.Name} failed: {error}", Component, run.Node, $"spec.initContainers{{{c.Name}}}");
        if (run.RestartPolicy == "Never")
        {
            run.Phase = "Failed";
            foreach (var main in run.Containers)
            {
                main.Epoch++;
            }

            WriteStatus(run);
            return;
        }

        // OnFailure / Always: the kubelet runs the init container again after a back-off (Init:CrashLoopBackOff).
        c.LastTerminated = PodStatusJson.Terminated(c);
        var backoff = Math.Min(300, 10 * Math.Pow(2, Math.Min(c.RestartCount, 5)));
        c.State = "waiting";
        c.Reason = "CrashLoopBackOff";
        c.Message = $"back-off {backoff:0}s restarting failed container={c.Name} pod={run.Name}_{run.Namespace}({run.Uid})";
        WriteStatus(run);
        var next = ++c.Epoch;
        _sim.After(backoff, () =>
        {
            if (Current(run, c, next) && _sim.Store.Get("pods", run.Namespace, run.Name) is { } p)
            {
                c.RestartCount++;
                StartInit(run, p, index);
            }
        });
    }

    /// <summary>Fetches each URL to the end; the log lines a fetch tool would print, and the first error in its words.</summary>
    private static async Task<(List<string> Lines, string? Error)> FetchAllAsync(List<string> urls, MemoryStream? kept = null)
    {
        var lines = new List<string>();
        foreach (var url in urls)
        {
            var shown = Redacted(url);
            lines.Add($"Connecting to {shown}");
            try
            {
                using var response = await Fetcher.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    var error = $"wget: server returned error: HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase}{Detail(body)}";
                    lines.Add(error);
                    return (lines, error);
                }

                await using var stream = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                var buffer = new byte[81920];
                long total = 0;
                int read;
                while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
                {
                    total += read;
                    kept?.Write(buffer, 0, read);
                }

                lines.Add(string.Create(CultureInfo.InvariantCulture, $"saving to '{shown}': {total} bytes written"));
            }
            catch (HttpRequestException e)
            {
                return Unreachable(lines, e);
            }
            catch (TaskCanceledException e)
            {
                return Unreachable(lines, e);
            }
            catch (IOException e)
            {
                return Unreachable(lines, e);
            }
        }

        return (lines, null);
    }

    private static (List<string> Lines, string? Error) Unreachable(List<string> lines, Exception e)
    {
        var error = $"wget: can't connect to remote host: {e.Message}";
        lines.Add(error);
        return (lines, error);
    }

    [GeneratedRegex("<Message>(?<m>[^<]*)</Message>")]
    private static partial Regex XmlMessage();

    /// <summary>The reason a storage server gives: problem details' <c>detail</c>, or an XML error's <c>Message</c>.</summary>
    private static string Detail(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return string.Empty;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement is { ValueKind: JsonValueKind.Object } problem && problem.TryGetProperty("detail", out var detail))
            {
                return $" ({detail.GetString()})";
            }
        }
        catch (JsonException)
        {
        }

        var message = XmlMessage().Match(body);
        return message.Success ? $" ({message.Groups["m"].Value.Split('\n')[0].Trim()})" : string.Empty;
    }

    /// <summary>A URL without its query (signatures stay out of logs).</summary>
    private static string Redacted(string url) => url.Split('?', 2)[0];
}
