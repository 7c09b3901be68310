using System.Text.RegularExpressions;
using Studio.Domain.Common;

namespace Studio.Domain.Jobs;

/// <summary>
/// The rules a job spec must satisfy before it is submitted. Errors name the field by its CLI v2 YAML path
/// (<c>resources.instance_count</c>, <c>distribution.process_count_per_instance</c>, <c>environment_variables.X</c>), which is
/// also the key the submit form uses.
/// </summary>
public static partial class JobSpecRules
{
    public const int MaxInstances = 256;
    public const int MaxRetries = 10;
    public const int MaxProcessesPerInstance = 64;

    [GeneratedRegex(@"\$\{\{\s*(?<scope>[A-Za-z_][A-Za-z0-9_]*)\.(?<name>[A-Za-z0-9_.-]+)\s*\}\}")]
    private static partial Regex Placeholder();

    // Kubernetes' rule for environment variable names (a C identifier, plus '-' and '.').
    [GeneratedRegex(@"^[-._a-zA-Z][-._a-zA-Z0-9]*$")]
    private static partial Regex EnvName();

    // registry/path:tag@digest — lower-case path components, optional registry with port, optional tag and digest.
    [GeneratedRegex(@"^(?:(?<registry>[a-zA-Z0-9](?:[a-zA-Z0-9.-]*[a-zA-Z0-9])?(?::[0-9]+)?)/)?(?<path>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$")]
    private static partial Regex ImageReference();

    /// <summary>Replaces <c>${{inputs.x}}</c> with the literal input; leaves unknown placeholders as they are.</summary>
    public static string Substitute(string command, IReadOnlyDictionary<string, string> inputs) => Substitute(command, inputs, null);

    /// <summary>Replaces <c>${{inputs.x}}</c> and <c>${{outputs.y}}</c> with their values; leaves unknown placeholders as they are.</summary>
    public static string Substitute(string command, IReadOnlyDictionary<string, string> inputs, IReadOnlyDictionary<string, string>? outputs) =>
        Placeholder().Replace(command, m => (m.Groups["scope"].Value switch
        {
            "inputs" => inputs,
            "outputs" => outputs,
            _ => null,
        }) is { } values && values.TryGetValue(m.Groups["name"].Value, out var value) ? value : m.Value);

    /// <summary>The placeholders (<c>inputs.x</c>, <c>outputs.y</c>) a command uses.</summary>
    public static IReadOnlyList<string> Placeholders(string command) =>
        [.. Placeholder().Matches(command).Select(m => $"{m.Groups["scope"].Value}.{m.Groups["name"].Value}").Distinct(StringComparer.Ordinal)];

    /// <summary>Null when <paramref name="image"/> is a well-formed image reference, else why not.</summary>
    public static string? ValidateImage(string? image)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            return "Enter an image, e.g. mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest.";
        }

        if (image.Any(char.IsWhiteSpace))
        {
            return $"Image '{image}' contains spaces.";
        }

        if (image.Length > 1024)
        {
            return "An image reference is at most 1024 characters.";
        }

        return ImageReference().IsMatch(image)
            ? null
            : $"Image '{image}' is not a valid image reference (registry/repository[:tag][@sha256:digest], repository in lower case).";
    }

    /// <summary>Warnings about a valid image: no tag (means :latest) or :latest (what runs can change between retries).</summary>
    public static IReadOnlyList<string> ImageWarnings(string image)
    {
        var match = ImageReference().Match(image);
        if (!match.Success)
        {
            return [];
        }

        var warnings = new List<string>();
        if (!match.Groups["tag"].Success && !match.Groups["digest"].Success)
        {
            warnings.Add($"Image '{image}' has no tag, so ':latest' is pulled; pin a version so a retry runs the same code.");
        }
        else if (match.Groups["tag"].Value == "latest" && !match.Groups["digest"].Success)
        {
            warnings.Add($"Image '{image}' uses ':latest'; pin a version so a retry runs the same code.");
        }

        if (!match.Groups["registry"].Success || !match.Groups["registry"].Value.Contains('.', StringComparison.Ordinal) && !match.Groups["registry"].Value.Contains(':', StringComparison.Ordinal) && match.Groups["registry"].Value != "localhost")
        {
            warnings.Add($"Image '{image}' names no registry, so the cluster pulls it from Docker Hub (rate-limited); use a registry you control for production jobs.");
        }

        return warnings;
    }

    public static IReadOnlyList<Error> Validate(JobSpec spec) => Validate(spec, null);

    /// <summary><c>code</c> is a local folder (uploaded with the job), snapshots are content hashes, data inputs are local or https.</summary>
    private static void ValidateFiles(JobSpec spec, List<Error> errors)
    {
        if (spec.Code is not null and not ".")
        {
            var code = Artifacts.ArtifactUri.Parse(spec.Code, "code");
            if (!code.IsSuccess)
            {
                errors.AddRange(code.Errors);
            }
            else if (code.Value.Kind != Artifacts.ArtifactUriKind.LocalPath)
            {
                errors.Add(Error.Validation("code", $"code: '{spec.Code}' is not a local folder; Studio uploads the job's code from the folder beside the YAML (code: src)."));
            }
        }

        if (spec.CodeSnapshot is not null && !Artifacts.ContentHash.Parse(spec.CodeSnapshot, "code_snapshot").IsSuccess)
        {
            errors.Add(Error.Validation("code_snapshot", $"'{spec.CodeSnapshot}' is not a code snapshot id (sha256: and 64 hex digits)."));
        }

        if (spec.DataInputs.Count > MaxDataInputs)
        {
            errors.Add(Error.Validation("inputs", $"A job has at most {MaxDataInputs} data inputs."));
        }

        foreach (var (name, input) in spec.DataInputs)
        {
            var at = $"inputs.{name}";
            if (spec.Inputs.ContainsKey(name))
            {
                errors.Add(Error.Validation(at, $"Input '{name}' is given twice, as a value and as data."));
            }

            if (!InputName().IsMatch(name))
            {
                errors.Add(Error.Validation(at, $"Input name '{name}' may contain only letters, digits and '_', starting with a letter or '_'."));
            }

            var location = Artifacts.ArtifactUri.Parse(input.Path, at + ".path");
            if (!location.IsSuccess)
            {
                errors.AddRange(location.Errors);
            }
            else if (input.Mode == "direct" && location.Value.Kind is Artifacts.ArtifactUriKind.LocalPath)
            {
                errors.Add(Error.Validation(at + ".mode", $"mode: direct passes a URL; local data '{input.Path}' is sent with the job and downloaded (mode: download)."));
            }
            else if (location.Value.Kind == Artifacts.ArtifactUriKind.Https && input.Type == Artifacts.DataAssetType.UriFolder)
            {
                errors.Add(Error.Validation(at + ".type", $"An https URL cannot be listed as a folder: give type: uri_file for '{input.Path}'."));
            }

            if (input.Snapshot is not null && !Artifacts.ContentHash.Parse(input.Snapshot).IsSuccess)
            {
                errors.Add(Error.Validation(at + ".path", $"'{input.Snapshot}' is not a snapshot id."));
            }
        }
    }

    /// <summary>Most data outputs of one job (each is an upload when the command ends).</summary>
    public const int MaxDataOutputs = 32;

    /// <summary>Outputs are named like inputs, written to a datastore path (never https), and not named twice.</summary>
    private static void ValidateOutputs(JobSpec spec, List<Error> errors)
    {
        if (spec.DataOutputs.Count > MaxDataOutputs)
        {
            errors.Add(Error.Validation("outputs", $"A job has at most {MaxDataOutputs} data outputs."));
        }

        foreach (var (name, output) in spec.DataOutputs)
        {
            var at = $"outputs.{name}";
            if (!InputName().IsMatch(name))
            {
                errors.Add(Error.Validation(at, $"Output name '{name}' may contain only letters, digits and '_', starting with a letter or '_'."));
            }

            if (spec.Inputs.ContainsKey(name) || spec.DataInputs.ContainsKey(name))
            {
                errors.Add(Error.Validation(at, $"'{name}' is both an input and an output; name them apart."));
            }

            if (output.Mode is not (null or "rw_mount" or "upload"))
            {
                errors.Add(Error.Validation(at + ".mode", $"Output mode '{output.Mode}' is not known; use rw_mount or upload."));
            }

            if (output.Path is null)
            {
                continue;
            }

            var location = Artifacts.ArtifactUri.Parse(output.Path, at + ".path");
            if (!location.IsSuccess)
            {
                errors.AddRange(location.Errors);
            }
            else if (location.Value.Kind != Artifacts.ArtifactUriKind.DatastorePath)
            {
                errors.Add(Error.Validation(at + ".path", $"An output is written to a datastore: give azureml://datastores/NAME/paths/FOLDER/ (or leave path out for azureml://datastores/{Artifacts.DatastoreName.Default}/paths/azureml/<job>/{name}/)."));
            }
        }
    }

    /// <summary>Most data inputs of one job (each is a fetch before the command starts).</summary>
    public const int MaxDataInputs = 32;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,254}$", RegexOptions.CultureInvariant)]
    private static partial Regex InputName();

    /// <summary>Whether <paramref name="name"/> may name an input (<c>${{inputs.NAME}}</c>).</summary>
    public static bool IsInputName(string name) => InputName().IsMatch(name);

    /// <summary>
    /// Per-field errors of <paramref name="spec"/>; <paramref name="allowedAnnotations"/> (when given) limits the pod
    /// annotations a job may set (see <see cref="ValidatePodAnnotationKey"/>).
    /// </summary>
    public static IReadOnlyList<Error> Validate(JobSpec spec, IReadOnlyCollection<string>? allowedAnnotations)
    {
        var errors = new List<Error>();
        if (string.IsNullOrWhiteSpace(spec.Compute))
        {
            errors.Add(Error.Validation("compute", "Choose a compute target."));
        }

        if (string.IsNullOrWhiteSpace(spec.Command))
        {
            errors.Add(Error.Validation("command", "Enter the command to run."));
        }
        else
        {
            foreach (var placeholder in Placeholders(spec.Command))
            {
                var input = placeholder[(placeholder.IndexOf('.', StringComparison.Ordinal) + 1)..];
                if (placeholder.StartsWith("inputs.", StringComparison.Ordinal))
                {
                    if (!spec.Inputs.ContainsKey(input) && !spec.DataInputs.ContainsKey(input))
                    {
                        errors.Add(Error.Validation("command", $"The command uses ${{{{{placeholder}}}}} but there is no input '{input}'. Add it under inputs."));
                    }
                }
                else if (placeholder.StartsWith("outputs.", StringComparison.Ordinal))
                {
                    if (!spec.DataOutputs.ContainsKey(input))
                    {
                        errors.Add(Error.Validation("command", $"The command uses ${{{{{placeholder}}}}} but there is no output '{input}'. Add it under outputs."));
                    }
                }
                else
                {
                    errors.Add(Error.Validation("command", $"The command uses ${{{{{placeholder}}}}}; only ${{{{inputs.NAME}}}} and ${{{{outputs.NAME}}}} placeholders are supported."));
                }
            }
        }

        ValidateFiles(spec, errors);
        ValidateOutputs(spec, errors);
        ValidateEnvironment(spec, errors);
        if (spec.InstanceCount is < 1 or > MaxInstances)
        {
            errors.Add(Error.Validation("resources.instance_count", $"The instance count must be between 1 and {MaxInstances}."));
        }

        var d = spec.Distribution;
        switch (d.Kind)
        {
            case DistributionKind.PyTorch or DistributionKind.Mpi:
                if (d.Kind == DistributionKind.Mpi && d.ProcessCountPerInstance is null)
                {
                    errors.Add(Error.Validation("distribution.process_count_per_instance", "MPI needs the process count per instance."));
                }
                else if (d.ProcessCountPerInstance is { } p && (p < 1 || p > MaxProcessesPerInstance))
                {
                    errors.Add(Error.Validation("distribution.process_count_per_instance", $"The process count per instance must be between 1 and {MaxProcessesPerInstance}."));
                }

                break;
            case DistributionKind.TensorFlow:
                if (d.WorkerCount is < 1)
                {
                    errors.Add(Error.Validation("distribution.worker_count", "TensorFlow needs at least one worker."));
                }

                if (d.ParameterServerCount is < 0)
                {
                    errors.Add(Error.Validation("distribution.parameter_server_count", "The parameter server count cannot be negative."));
                }

                var workers = d.WorkerCount ?? spec.InstanceCount - (d.ParameterServerCount ?? 0);
                if (spec.InstanceCount >= 1 && workers + (d.ParameterServerCount ?? 0) != spec.InstanceCount)
                {
                    errors.Add(Error.Validation("distribution.worker_count", $"Workers ({workers}) plus parameter servers ({d.ParameterServerCount ?? 0}) must equal the instance count ({spec.InstanceCount}): each runs in its own instance."));
                }

                break;
        }

        if (spec.Timeout is { } timeout && (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromDays(30)))
        {
            errors.Add(Error.Validation("limits.timeout", "The timeout must be between 1 second and 30 days."));
        }

        if (spec.MaxRetries is < 0 or > MaxRetries)
        {
            errors.Add(Error.Validation("max_retries", $"Retries must be between 0 and {MaxRetries}."));
        }

        if (spec.Name is { } name && Dns1123.ValidateLabel(name) is { } nameError)
        {
            errors.Add(Error.Validation("name", nameError));
        }

        ValidateInputs(spec, allowedAnnotations, errors);

        if (spec.Priority is { } priority && (priority < -1000 || priority > 1000))
        {
            errors.Add(Error.Validation("queue_settings.priority", "The priority must be between -1000 and 1000 (low = -100, medium = 0, high = 100)."));
        }

        return errors;
    }
}
