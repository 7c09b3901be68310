using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// Native sidecars, stopped after the main containers have ended (as the kubelet sends them SIGTERM). The studio's
/// output uploader (<c>STUDIO_OUTPUT_i_URL</c>, <c>_DIR</c>, <c>_RECORD</c>) uploads for real: the files the command would
/// have written — each <c>echo TEXT &gt; DIR/FILE</c> (or <c>&gt;&gt;</c>) in its command, else one
/// <c>sandbox-output.txt</c> — are posted through the signed write URL, then the upload record; a refused or expired URL
/// ends the upload with the server's answer as the sidecar's termination message, as BusyBox's wget would print it.
/// </summary>
internal sealed partial class Kubelet
{
    [GeneratedRegex("""echo\s+(?:-[ne]+\s+)?(?<text>'[^']*'|"[^"]*"|[^\s>;|&]+(?:[ \t]+[^\s>;|&]+)*)\s*(?<op>>>?)\s*(?<path>'[^']*'|"[^"]*"|[^\s;|&]+)""")]
    private static partial Regex EchoRedirect();

    private void StopSidecars(PodRun run)
    {
        foreach (var c in run.InitContainers.Where(c => run.IsSidecar(c) && c.State == "running"))
        {
            var epoch = ++c.Epoch;
            var env = run.SidecarEnv[c.Name];
            var commands = string.Join('\n', run.Commands);
            _ = Task.Run(async () =>
            {
                var (lines, error) = await UploadOutputsAsync(env, commands).ConfigureAwait(false);
                _sim.Post(() => SidecarStopped(run, c, epoch, lines, error));
            });
        }
    }

    private void SidecarStopped(PodRun run, ContainerRun c, int epoch, List<string> lines, string? error)
    {
        if (c.Epoch != epoch || run.Terminating || run.Terminal || _runs.GetValueOrDefault(run.Key) != run)
        {
            return;
        }

        foreach (var line in lines)
        {
            _sim.Logs.Append(run.Namespace, run.Name, c.Name, line);
        }

        c.State = "terminated";
        c.Ready = false;
        c.FinishedAt = Simulator.Timestamp();
        c.ExitCode = error is null ? 0 : 1;
        c.Reason = error is null ? "Completed" : "Error";
        c.Message = error;
        if (error is not null && _sim.Store.Get("pods", run.Namespace, run.Name) is { } pod)
        {
            _sim.Recorder.Record(pod, "Pod", "v1", "Warning", "Failed", $"Sidecar {c.Name} failed: {error}", Component, run.Node, $"spec.initContainers{{{c.Name}}}");
        }

        run.UpdatePhase();
        WriteStatus(run);
    }

    /// <summary>Uploads each output's files and its record; the log lines and the first refusal, in wget's words.</summary>
    private static async Task<(List<string> Lines, string? Error)> UploadOutputsAsync(Dictionary<string, string> env, string commands)
    {
        var lines = new List<string>();
        for (var i = 0; env.TryGetValue($"STUDIO_OUTPUT_{i}_URL", out var url); i++)
        {
            var dir = env.GetValueOrDefault($"STUDIO_OUTPUT_{i}_DIR", string.Empty).TrimEnd('/');
            var record = env.GetValueOrDefault($"STUDIO_OUTPUT_{i}_RECORD", string.Empty);
            var files = Written(commands, dir);
            if (files.Count == 0)
            {
                files["sandbox-output.txt"] = "Written by the sandbox's simulated command.\n";
            }

            var query = url.Contains('?', StringComparison.Ordinal) ? url[url.IndexOf('?', StringComparison.Ordinal)..] : string.Empty;
            var baseUrl = url[..(url.Length - query.Length)];
            var count = 0;
            foreach (var (relative, text) in files)
            {
                var target = baseUrl + string.Join('/', relative.Split('/').Select(Uri.EscapeDataString)) + query;
                lines.Add($"Connecting to {Redacted(target)}");
                if (await PostAsync(target, text).ConfigureAwait(false) is { } refused)
                {
                    lines.Add(refused);
                    await PostAsync(record, string.Create(CultureInfo.InvariantCulture, $$"""{"complete":false,"files":{{count}}}""")).ConfigureAwait(false);
                    return (lines, refused);
                }

                count++;
            }

            if (await PostAsync(record, string.Create(CultureInfo.InvariantCulture, $$"""{"complete":true,"files":{{count}}}""")).ConfigureAwait(false) is { } recordRefused)
            {
                lines.Add(recordRefused);
                return (lines, recordRefused);
            }

            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{env.GetValueOrDefault($"STUDIO_OUTPUT_{i}_NAME", dir)}: {count} file{(count == 1 ? string.Empty : "s")} uploaded"));
        }

        return (lines, null);
    }

    /// <summary>The files <c>echo</c> writes under <paramref name="dir"/> in <paramref name="commands"/>, by path relative to it.</summary>
    private static Dictionary<string, string> Written(string commands, string dir)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        if (dir.Length == 0)
        {
            return files;
        }

        foreach (Match m in EchoRedirect().Matches(commands))
        {
            var path = Unquote(m.Groups["path"].Value);
            if (!path.StartsWith(dir + "/", StringComparison.Ordinal) || path.Length == dir.Length + 1 || path.Split('/').Any(s => s is ".." or "."))
            {
                continue;
            }

            var relative = path[(dir.Length + 1)..];
            var text = Unquote(m.Groups["text"].Value) + "\n";
            files[relative] = m.Groups["op"].Value == ">>" && files.TryGetValue(relative, out var before) ? before + text : text;
        }

        return files;
    }

    private static string Unquote(string text) => text.Length >= 2 && (text[0] is '\'' or '"') && text[^1] == text[0] ? text[1..^1] : text;

    /// <summary>Null when the server took the body, else wget's error line.</summary>
    private static async Task<string?> PostAsync(string url, string body)
    {
        if (!url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            return $"wget: bad address '{Redacted(url)}'";
        }

        try
        {
            using var response = await Fetcher.PostAsync(url, new StringContent(body, Encoding.UTF8)).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return null;
            }

            var detail = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            return $"wget: server returned error: HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase}{Detail(detail)}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return $"wget: can't connect to remote host: {e.Message}";
        }
    }
}
