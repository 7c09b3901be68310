using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Studio.Domain.Clusters;
using Studio.Domain.Common;

namespace Studio.Domain.Jobs;

/// <summary>
/// The input rules of a job spec that protect the studio and the cluster: sizes (checked before anything is stored),
/// environment variable names Studio injects itself, pod annotation keys Kubernetes, Studio and the schedulers own, and
/// the names Azure ML restricts.
/// </summary>
public static partial class JobSpecRules
{
    /// <summary>The command (and the command with its inputs substituted), in UTF-8 bytes.</summary>
    public const int MaxCommandBytes = 64 * 1024;

    public const int MaxEnvironmentVariables = 1000;

    /// <summary>One environment variable's value, in UTF-8 bytes.</summary>
    public const int MaxEnvironmentValueBytes = 32 * 1024;

    /// <summary>All environment variables' names and values together, in UTF-8 bytes.</summary>
    public const int MaxEnvironmentTotalBytes = 256 * 1024;

    public const int MaxInputs = 256;

    /// <summary>One literal input's value, in UTF-8 bytes.</summary>
    public const int MaxInputValueBytes = 32 * 1024;

    /// <summary>All literal inputs' names and values together, in UTF-8 bytes.</summary>
    public const int MaxInputsTotalBytes = 256 * 1024;

    public const int MaxDisplayNameLength = 256;

    public const int MaxExperimentNameLength = 255;

    public const int MaxDescriptionLength = 5000;

    public const int MaxTags = 50;

    public const int MaxTagKeyLength = 256;

    public const int MaxTagValueLength = 256;

    /// <summary>Kubernetes' limit on the total size of an object's annotations (keys and values).</summary>
    public const int MaxAnnotationsBytes = 256 * 1024;

    /// <summary>Variables Studio sets in the pods (rendezvous of the frameworks, the run's identity): a user's value would clash.</summary>
    public static readonly IReadOnlySet<string> ReservedEnvironmentNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "RANK", "LOCAL_RANK", "NODE_RANK", "NODE_COUNT", "LOCAL_WORLD_SIZE",
        "NPROC_PER_NODE", "PROCESS_COUNT_PER_INSTANCE", "TF_CONFIG", "TF_CLUSTER", "TF_PS_COUNT", "TF_TASK_TYPE", "TF_TASK_INDEX",
        "MPI_HOSTFILE", "OMPI_COMM_WORLD_SIZE", "OMPI_MCA_orte_default_hostfile",
    };

    /// <summary>Prefixes of variables Studio (and Azure ML) own.</summary>
    public static readonly IReadOnlyList<string> ReservedEnvironmentPrefixes = ["AZUREML_", "STUDIO_", "PET_"];

    /// <summary>
    /// Annotation key prefixes (the part before '/') no job may set: Studio's own, Kubernetes' (<c>*.kubernetes.io</c>,
    /// <c>*.k8s.io</c> — AppArmor and seccomp profiles among them), the gang schedulers' (<c>scheduling.*</c>, Volcano,
    /// Kueue) and Azure ML's.
    /// </summary>
    public static readonly IReadOnlyList<string> ReservedAnnotationDomains = ["studio.io", "kubernetes.io", "k8s.io", "x-k8s.io", "volcano.sh", "ml.azure.com", "azureml.io"];

    // Azure ML's rule for names (experiments): letters, digits, '_' and '-', starting with a letter or digit, up to 255.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$", RegexOptions.CultureInvariant)]
    private static partial Regex AzureName();

    /// <summary>Null when <paramref name="name"/> is a valid experiment name (Azure ML's rule), else why not.</summary>
    public static string? ValidateExperimentName(string name) =>
        name.Length > MaxExperimentNameLength
            ? $"The experiment name is at most {MaxExperimentNameLength} characters."
            : AzureName().IsMatch(name)
                ? null
                : $"'{Short(name)}' is not a valid experiment name: use letters, digits, '_' and '-', starting with a letter or digit (as Azure ML does).";

    /// <summary>Null when a variable of this name may be set by a job, else why not (Kubernetes' name rule; names Studio sets).</summary>
    public static string? ValidateEnvironmentName(string name)
    {
        if (!EnvName().IsMatch(name))
        {
            return $"'{Short(name)}' is not a valid environment variable name: letters, digits, '_', '-' and '.', not starting with a digit.";
        }

        if (ReservedEnvironmentNames.Contains(name) || ReservedEnvironmentPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
        {
            return $"'{name}' is set by Studio ({(ReservedEnvironmentNames.Contains(name) ? "the distributed training rendezvous" : "names starting with " + string.Join(", ", ReservedEnvironmentPrefixes) + " are reserved")}); choose another name.";
        }

        return null;
    }

    /// <summary>
    /// Null when a job may put an annotation with this key on its pods: a qualified name (optional DNS-subdomain
    /// prefix and '/'), not under a reserved prefix (<see cref="ReservedAnnotationDomains"/>, <c>scheduling.*</c>), and
    /// matching <paramref name="allowed"/> when given (patterns: an exact key, <c>prefix/*</c>, or <c>*</c> for any key
    /// that is not reserved).
    /// </summary>
    public static string? ValidatePodAnnotationKey(string key, IReadOnlyCollection<string>? allowed = null)
    {
        if (LabelRules.ValidateKey(key) is { } syntax)
        {
            return syntax.Replace("label key", "annotation key", StringComparison.Ordinal);
        }

        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var domain = slash < 0 ? string.Empty : key[..slash];
        if (domain.StartsWith("scheduling.", StringComparison.Ordinal)
            || ReservedAnnotationDomains.Any(r => domain == r || domain.EndsWith("." + r, StringComparison.Ordinal)))
        {
            return $"'{Short(key)}' is reserved: annotations under {domain}/ belong to Kubernetes, the scheduler or Studio and cannot be set by a job.";
        }

        if (allowed is not null && !allowed.Any(pattern => AnnotationMatches(pattern, key, domain)))
        {
            return $"'{Short(key)}' is not an annotation jobs may set here; allowed: {string.Join(", ", allowed)} (Studio:Jobs:PodAnnotations:Allowed).";
        }

        return null;
    }

    private static bool AnnotationMatches(string pattern, string key, string domain) =>
        pattern == "*"
        || string.Equals(pattern, key, StringComparison.Ordinal)
        || (pattern.EndsWith("/*", StringComparison.Ordinal) && domain.Length > 0 && string.Equals(pattern[..^2], domain, StringComparison.Ordinal));

    /// <summary>The size, name and reserved-key rules (see the class summary); <paramref name="allowedAnnotations"/> as in <see cref="ValidatePodAnnotationKey"/>.</summary>
    private static void ValidateInputs(JobSpec spec, IReadOnlyCollection<string>? allowedAnnotations, List<Error> errors)
    {
        if (Utf8(spec.Command) > MaxCommandBytes)
        {
            errors.Add(Error.Validation("command", $"The command is {Size(Utf8(spec.Command))}; at most {Size(MaxCommandBytes)}. Put long scripts in the image or fetch them in the command."));
        }
        else if (spec.Inputs.Count > 0 && Utf8(spec.ResolvedCommand()) > MaxCommandBytes)
        {
            errors.Add(Error.Validation("command", $"The command with its inputs substituted is over {Size(MaxCommandBytes)}."));
        }

        if (spec.Inputs.Count > MaxInputs)
        {
            errors.Add(Error.Validation("inputs", $"A job has at most {MaxInputs} inputs, not {spec.Inputs.Count}."));
        }

        foreach (var (name, value) in spec.Inputs.Where(i => Utf8(i.Value) > MaxInputValueBytes).Take(5))
        {
            errors.Add(Error.Validation($"inputs.{Short(name)}", $"The value of input '{Short(name)}' is {Size(Utf8(value))}; at most {Size(MaxInputValueBytes)}."));
        }

        if (spec.Inputs.Sum(i => (long)Utf8(i.Key) + Utf8(i.Value)) is var inputBytes && inputBytes > MaxInputsTotalBytes)
        {
            errors.Add(Error.Validation("inputs", $"The inputs are {Size(inputBytes)} together; at most {Size(MaxInputsTotalBytes)}."));
        }

        ValidateEnvironmentVariables(spec.EnvironmentVariables, errors);

        if (spec.DisplayName is { Length: > MaxDisplayNameLength })
        {
            errors.Add(Error.Validation("display_name", $"The display name is at most {MaxDisplayNameLength} characters."));
        }

        if (spec.ExperimentName is { Length: > 0 } experiment && ValidateExperimentName(experiment) is { } experimentError)
        {
            errors.Add(Error.Validation("experiment_name", experimentError));
        }

        if (spec.Description is { Length: > MaxDescriptionLength })
        {
            errors.Add(Error.Validation("description", $"The description is {spec.Description.Length} characters; at most {MaxDescriptionLength}."));
        }

        if (spec.Tags.Count > MaxTags)
        {
            errors.Add(Error.Validation("tags", $"A job has at most {MaxTags} tags, not {spec.Tags.Count}."));
        }

        foreach (var (key, value) in spec.Tags.Where(t => t.Key.Length is 0 or > MaxTagKeyLength || t.Value.Length > MaxTagValueLength).Take(5))
        {
            errors.Add(Error.Validation($"tags.{Short(key)}", key.Length == 0 ? "A tag needs a name." : key.Length > MaxTagKeyLength ? $"A tag name is at most {MaxTagKeyLength} characters." : $"A tag value is at most {MaxTagValueLength} characters ('{Short(key)}' has {value.Length})."));
        }

        ValidatePodAnnotations(spec.PodAnnotations, allowedAnnotations, errors);
    }

    private static void ValidateEnvironmentVariables(IReadOnlyDictionary<string, string> variables, List<Error> errors)
    {
        if (variables.Count > MaxEnvironmentVariables)
        {
            errors.Add(Error.Validation("environment_variables", $"A job has at most {MaxEnvironmentVariables} environment variables, not {variables.Count}."));
            return;
        }

        var total = 0L;
        foreach (var (name, value) in variables)
        {
            total += Utf8(name) + Utf8(value);
            if (ValidateEnvironmentName(name) is { } nameError)
            {
                errors.Add(Error.Validation($"environment_variables.{Short(name)}", nameError));
            }

            if (Utf8(value) > MaxEnvironmentValueBytes)
            {
                errors.Add(Error.Validation($"environment_variables.{Short(name)}", $"The value of '{Short(name)}' is {Size(Utf8(value))}; at most {Size(MaxEnvironmentValueBytes)} (mount large data instead)."));
            }
        }

        if (total > MaxEnvironmentTotalBytes)
        {
            errors.Add(Error.Validation("environment_variables", $"The environment variables are {Size(total)} together; at most {Size(MaxEnvironmentTotalBytes)}."));
        }
    }

    private static void ValidatePodAnnotations(IReadOnlyDictionary<string, string> annotations, IReadOnlyCollection<string>? allowed, List<Error> errors)
    {
        var total = 0L;
        foreach (var (key, value) in annotations)
        {
            total += Utf8(key) + Utf8(value);
            if (ValidatePodAnnotationKey(key, allowed) is { } keyError)
            {
                errors.Add(Error.Validation($"pod_annotations.{Short(key)}", keyError));
            }
        }

        if (total > MaxAnnotationsBytes)
        {
            errors.Add(Error.Validation("pod_annotations", $"The pod annotations are {Size(total)} together; Kubernetes allows at most {Size(MaxAnnotationsBytes)}."));
        }
    }

    private static int Utf8(string? text) => text is null ? 0 : Encoding.UTF8.GetByteCount(text);

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MiB")
        : bytes >= 1024 ? string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB") : string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");

    private static string Short(string value) => value.Length > 64 ? value[..64] + "…" : value;
}
