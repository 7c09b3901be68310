using System.IO.Compression;
using System.Text.RegularExpressions;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Simulation;

/// <summary>
/// A job whose conda file is installed when its container starts (Studio's wrapped command, the environment fetched by
/// <c>fetch-environment</c>): the simulated container prints what the install would — conda on an image that has it
/// (an <c>azureml</c>, <c>conda</c> or <c>mambaforge</c> image), pip on other Python images, neither on BusyBox/Alpine —
/// and a conda file naming the package <c>studio-fail-install</c> fails the container as conda would, with the
/// termination message "Environment could not be prepared: …" that Studio's wrapper writes.
/// </summary>
internal sealed partial class Kubelet
{
    public const string FetchEnvironmentContainer = "fetch-environment";

    /// <summary>The first line of Studio's wrapped command.</summary>
    private const string EnvironmentMarker = "# studio: prepare the job's environment";

    /// <summary>The last line of Studio's environment wrapper: the job's own command follows it.</summary>
    private const string CommandMarker = "# studio: the job's command";

    /// <summary>
    /// The job's own command of a container that runs Studio's environment wrapper (the wrapper is simulated by
    /// <see cref="PrepareEnvironment"/>, so its own <c>exit 1</c> for a failed install is not the command's exit code).
    /// </summary>
    public static string WithoutEnvironmentPrelude(string command)
    {
        if (!command.Contains(EnvironmentMarker, StringComparison.Ordinal))
        {
            return command;
        }

        var end = command.IndexOf(CommandMarker, StringComparison.Ordinal);
        return end < 0 ? command : command[..command.IndexOf(EnvironmentMarker, StringComparison.Ordinal)] + command[(end + CommandMarker.Length)..];
    }

    /// <summary>The package that makes a simulated install fail.</summary>
    public const string FailingPackage = "studio-fail-install";

    /// <summary>
    /// Writes the install's lines when the container runs Studio's environment wrapper; true when the install fails (the
    /// container then ends with exit code 1 and the caller starts nothing else).
    /// </summary>
    private bool PrepareEnvironment(PodRun run, ContainerRun c, StoredObject pod, int epoch)
    {
        var args = (FindContainer(pod, c.Name)["args"] as System.Text.Json.Nodes.JsonArray)?.FirstOrDefault()?.ToString() ?? string.Empty;
        if (run.CondaFile is not { } conda || !args.Contains(EnvironmentMarker, StringComparison.Ordinal))
        {
            return false;
        }

        var packages = Packages(conda);
        var image = c.Image.ToLowerInvariant();
        var hasConda = image.Contains("azureml", StringComparison.Ordinal) || image.Contains("conda", StringComparison.Ordinal) || image.Contains("mambaforge", StringComparison.Ordinal);
        var hasPip = !hasConda && !image.Contains("busybox", StringComparison.Ordinal) && !image.Contains("alpine", StringComparison.Ordinal);
        var fails = packages.Any(p => p.StartsWith(FailingPackage, StringComparison.OrdinalIgnoreCase));
        string? failure = null;
        if (hasConda)
        {
            Log(run, c, "studio: installing the conda file with conda (conda env update -n base -f /mnt/studio/env/conda.yml)");
            Log(run, c, "Channels:");
            Log(run, c, " - conda-forge");
            Log(run, c, "Platform: linux-64");
            Log(run, c, "Collecting package metadata (repodata.json): done");
            Log(run, c, "Solving environment: " + (fails ? "failed" : "done"));
            if (fails)
            {
                Log(run, c, string.Empty);
                Log(run, c, "PackagesNotFoundError: The following packages are not available from current channels:");
                Log(run, c, string.Empty);
                Log(run, c, "  - " + FailingPackage);
                failure = "conda env update exited with code 1; see the lines above.";
            }
            else
            {
                Log(run, c, "Preparing transaction: done");
                Log(run, c, "Verifying transaction: done");
                Log(run, c, "Executing transaction: done");
                Log(run, c, $"Installed {packages.Count} packages from the conda file.");
            }
        }
        else if (hasPip)
        {
            var pip = PipPackages(conda);
            Log(run, c, $"studio: conda is not on the image; installing the pip: list with pip ({pip.Count} packages)");
            foreach (var package in pip)
            {
                Log(run, c, $"Collecting {package}");
                if (package.StartsWith(FailingPackage, StringComparison.OrdinalIgnoreCase))
                {
                    Log(run, c, $"ERROR: Could not find a version that satisfies the requirement {package} (from versions: none)");
                    Log(run, c, $"ERROR: No matching distribution found for {package}");
                    failure = "pip install exited with code 1; see the lines above.";
                    break;
                }
            }

            if (failure is null)
            {
                Log(run, c, $"Successfully installed {string.Join(' ', pip)}");
            }
        }
        else
        {
            failure = "neither conda nor pip is on the image, so the conda file cannot be installed. Use an image with conda (e.g. mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04) or pip.";
        }

        if (failure is null)
        {
            return false;
        }

        var message = "Environment could not be prepared: " + failure;
        Log(run, c, message);
        _sim.After(1, () =>
        {
            if (Current(run, c, epoch))
            {
                c.Message = message;
                EndContainer(run, c, 1, "Error");
            }
        });
        return true;
    }

    private void Log(PodRun run, ContainerRun c, string line) => _sim.Logs.Append(run.Namespace, run.Name, c.Name, line);

    /// <summary>The conda file in the environment zip the fetch step downloaded.</summary>
    private static string? CondaFileOf(MemoryStream zip)
    {
        try
        {
            zip.Position = 0;
            using var archive = new ZipArchive(zip, ZipArchiveMode.Read, leaveOpen: true);
            using var reader = archive.GetEntry("conda.yml") is { } entry ? new StreamReader(entry.Open()) : null;
            return reader?.ReadToEnd();
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"^\s*-\s*(?<p>[^\s#{}\[\]:][^\s#]*)\s*$", RegexOptions.Multiline)]
    private static partial Regex ListItem();

    /// <summary>Every package a conda file lists (conda and pip), read as list items.</summary>
    private static List<string> Packages(string conda) => [.. ListItem().Matches(conda).Select(m => m.Groups["p"].Value).Where(p => !p.EndsWith(':'))];

    /// <summary>The items under <c>- pip:</c>, by indentation.</summary>
    private static List<string> PipPackages(string conda)
    {
        var lines = conda.Split('\n');
        var result = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (!trimmed.StartsWith("- pip:", StringComparison.Ordinal) && !trimmed.StartsWith("pip:", StringComparison.Ordinal))
            {
                continue;
            }

            var indent = lines[i].Length - trimmed.Length;
            for (var j = i + 1; j < lines.Length; j++)
            {
                var item = lines[j].TrimStart();
                if (item.Length == 0)
                {
                    continue;
                }

                if (lines[j].Length - item.Length <= indent || !item.StartsWith('-'))
                {
                    break;
                }

                result.Add(item[1..].Trim());
            }
        }

        return result;
    }
}
