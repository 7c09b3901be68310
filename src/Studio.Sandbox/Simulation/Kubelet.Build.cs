using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// An image builder (kaniko's contract: <c>--context=dir:///workspace --dockerfile=... --destination=IMAGE</c>) run for
/// real against the build context its <c>fetch-context</c> init container downloaded through the signed URL: the
/// Dockerfile must be at the given path in the context and start with <c>FROM</c> (after <c>ARG</c>s); each instruction is
/// logged as kaniko logs it; a <c>RUN exit 1</c>, <c>RUN false</c> or a RUN naming <see cref="FailingBuildMarker"/> fails
/// that step (exit status 1, kaniko's error line, the termination message); otherwise the image is "pushed" into the
/// sandbox's registry. Images named <c>.../studio-env:TAG</c> pull only once they were pushed there (else
/// <c>ErrImagePull</c>, then <c>ImagePullBackOff</c>, retried).
/// </summary>
internal sealed partial class Kubelet
{
    /// <summary>The init container of a build pod that fetches the context.</summary>
    public const string FetchContextContainer = "fetch-context";

    /// <summary>Text in a RUN instruction that makes the simulated step fail (as <c>exit 1</c> and <c>false</c> do).</summary>
    public const string FailingBuildMarker = "studio-fail-build";

    /// <summary>The repository name of images Studio builds; only pushed ones pull.</summary>
    private const string BuiltRepository = "/studio-env:";

    private readonly ConcurrentDictionary<string, string> _registry = new(StringComparer.Ordinal);

    /// <summary>The images builders pushed (image → digest).</summary>
    public IReadOnlyDictionary<string, string> PushedImages => _registry;

    private bool NeverPushed(string image) => image.Contains(BuiltRepository, StringComparison.Ordinal) && !_registry.ContainsKey(image);

    /// <summary>Runs the build when the container is an image builder; true when it did (the caller starts nothing else).</summary>
    private bool BuildImage(PodRun run, ContainerRun c, StoredObject pod, int epoch)
    {
        var container = FindContainer(pod, c.Name);
        var args = (container["command"] as JsonArray ?? []).Concat(container["args"] as JsonArray ?? []).Select(a => (string?)a ?? string.Empty).ToList();
        var destination = Flag(args, "--destination");
        if (destination is null)
        {
            return false;
        }

        var dockerfile = Flag(args, "--dockerfile") ?? "Dockerfile";
        var context = Flag(args, "--context") ?? "dir:///workspace";
        var root = context.StartsWith("dir://", StringComparison.Ordinal) ? context["dir://".Length..].TrimEnd('/') : "/workspace";
        var relative = dockerfile.StartsWith(root + "/", StringComparison.Ordinal) ? dockerfile[(root.Length + 1)..] : dockerfile.TrimStart('.', '/');
        var plan = new List<(string Line, string? Failure)>();
        string? failure = null;
        var text = run.BuildContext is { } zip ? ReadEntry(zip, relative) : null;
        if (text is null)
        {
            failure = "error resolving dockerfile path: please provide a valid path to a Dockerfile within the build context with --dockerfile";
            plan.Add(($"Error: {failure}", failure));
        }
        else
        {
            var steps = Instructions(text);
            var first = steps.FirstOrDefault(s => !s.StartsWith("ARG ", StringComparison.OrdinalIgnoreCase));
            if (first is null || !first.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase))
            {
                failure = $"parsing dockerfile: {relative}: the first instruction must be FROM (found {(first is null ? "no instructions" : first.Split(' ')[0])})";
                plan.Add(($"error building image: {failure}", failure));
            }
            else
            {
                plan.Add(($"Retrieving image manifest {first[5..].Trim().Split(' ')[0]}", null));
                plan.Add(("Built cross stage deps: map[]", null));
                plan.Add(("Executing 0 build triggers", null));
                foreach (var step in steps.Where(s => !s.StartsWith("FROM ", StringComparison.OrdinalIgnoreCase)))
                {
                    plan.Add((step, null));
                    if (!step.StartsWith("RUN ", StringComparison.OrdinalIgnoreCase))
                    {
                        continue;
                    }

                    var command = step[4..].Trim();
                    plan.Add(("Cmd: /bin/sh", null));
                    plan.Add(($"Args: [-c {command}]", null));
                    plan.Add(($"Running: [/bin/sh -c {command}]", null));
                    if (command is "exit 1" or "false" || command.Contains(FailingBuildMarker, StringComparison.Ordinal))
                    {
                        failure = "error building stage: failed to execute command: waiting for process to exit: exit status 1";
                        plan.Add(($"error building image: {failure}", failure));
                        break;
                    }
                }

                if (failure is null)
                {
                    plan.Add(("Taking snapshot of full filesystem...", null));
                    plan.Add(($"Pushing image to {destination}", null));
                    plan.Add(($"Pushed {destination}@{Digest(destination)}", null));
                }
            }
        }

        for (var i = 0; i < plan.Count; i++)
        {
            var (line, stepFailure) = plan[i];
            var last = i == plan.Count - 1;
            var seconds = i * 0.2;
            _sim.After(seconds, () =>
            {
                if (!Current(run, c, epoch))
                {
                    return;
                }

                Log(run, c, stepFailure is null ? $"INFO[{((int)seconds).ToString("0000", CultureInfo.InvariantCulture)}] {line}" : line);
                if (!last)
                {
                    return;
                }

                if (failure is null)
                {
                    _registry[destination] = Digest(destination);
                    EndContainer(run, c, 0, "Completed");
                }
                else
                {
                    c.Message = failure;
                    EndContainer(run, c, 1, "Error");
                }
            });
        }

        return true;
    }

    private static string Digest(string image) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image)));

    /// <summary><c>--flag=value</c> or <c>--flag value</c>.</summary>
    private static string? Flag(List<string> args, string flag)
    {
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith(flag + "=", StringComparison.Ordinal))
            {
                return args[i][(flag.Length + 1)..];
            }

            if (args[i] == flag && i + 1 < args.Count)
            {
                return args[i + 1];
            }
        }

        return null;
    }

    private static string? ReadEntry(byte[] zip, string path)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
            var entry = archive.GetEntry(path) ?? archive.Entries.FirstOrDefault(e => string.Equals(e.FullName.TrimStart('.', '/'), path, StringComparison.Ordinal));
            if (entry is null)
            {
                return null;
            }

            using var reader = new StreamReader(entry.Open());
            return reader.ReadToEnd();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>A Dockerfile's instructions: comments and blank lines dropped, <c>\</c> continuations joined.</summary>
    internal static List<string> Instructions(string dockerfile)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        foreach (var raw in dockerfile.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n'))
        {
            var line = raw.Trim();
            if (current.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                current.Append(line[..^1].TrimEnd()).Append(' ');
                continue;
            }

            current.Append(line);
            result.Add(current.ToString().Trim());
            current.Clear();
        }

        if (current.Length > 0)
        {
            result.Add(current.ToString().Trim());
        }

        return result;
    }
}
