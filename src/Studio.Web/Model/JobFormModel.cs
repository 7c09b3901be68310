using System.Text.RegularExpressions;
using Studio.Domain.Jobs;

namespace Studio.Web.Model;

/// <summary>
/// What the submit form edits: a mutable mirror of <see cref="JobSpec"/> (strings and rows, as inputs hold them) with the
/// checks a person needs while typing. The service validates again; its field errors land on the same field names
/// (<see cref="JobFormFields"/>).
/// </summary>
public sealed partial class JobFormModel
{
    public string? Compute { get; set; }

    public string? InstanceType { get; set; }

    public int InstanceCount { get; set; } = 1;

    /// <summary>True: <see cref="Image"/> is used; false: the named <see cref="Environment"/>.</summary>
    public bool UseImage { get; set; } = true;

    public string? Image { get; set; }

    public string? Environment { get; set; }

    public string? Command { get; set; }

    public List<KeyValueRow> Inputs { get; set; } = [];

    public List<KeyValueRow> EnvironmentVariables { get; set; } = [];

    public DistributionKind Distribution { get; set; } = DistributionKind.None;

    public int? ProcessCountPerInstance { get; set; }

    public int? WorkerCount { get; set; }

    public int? ParameterServerCount { get; set; }

    /// <summary>The timeout in minutes (the YAML's <c>limits.timeout</c> is in seconds).</summary>
    public double? TimeoutMinutes { get; set; }

    public int? Priority { get; set; }

    public string? DisplayName { get; set; }

    public string? ExperimentName { get; set; }

    public string? Description { get; set; }

    public List<KeyValueRow> Tags { get; set; } = [];

    public int MaxRetries { get; set; }

    /// <summary>The placeholders <c>${{inputs.x}}</c> the command uses, in order of first use.</summary>
    public IReadOnlyList<string> CommandInputs =>
        Command is null ? [] : [.. InputPlaceholder().Matches(Command).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal)];

    /// <summary>Inputs the command uses that have no value yet.</summary>
    public IReadOnlyList<string> MissingInputs =>
        [.. CommandInputs.Where(name => !Inputs.Any(r => string.Equals(r.Key.Trim(), name, StringComparison.Ordinal)) && !DataInputs.Any(r => string.Equals(r.Name.Trim(), name, StringComparison.Ordinal)))];

    /// <summary>Inputs with a value that the command never uses.</summary>
    public IReadOnlyList<string> UnusedInputs =>
        [.. Inputs.Select(r => r.Key.Trim()).Where(k => k.Length > 0 && !CommandInputs.Contains(k, StringComparer.Ordinal))];

    /// <summary>Instances × processes per instance, the world size of a PyTorch or MPI job.</summary>
    public int WorldSize => Distribution switch
    {
        DistributionKind.PyTorch or DistributionKind.Mpi => InstanceCount * Math.Max(1, ProcessCountPerInstance ?? 1),
        _ => InstanceCount,
    };

    /// <summary><c>code:</c> of an imported or copied job: its folder; a copy or re-run keeps its stored snapshot.</summary>
    public string? Code { get; set; }

    /// <summary>The stored code snapshot of the job this form copies (re-run and clone run the same code).</summary>
    public string? CodeSnapshot { get; set; }

    /// <summary>Data inputs: a datastore path, an https URL, a data asset, or a file or folder of the uploaded files.</summary>
    public List<DataInputRow> DataInputs { get; set; } = [];

    /// <summary>The environment an imported or copied job brings (a conda file, a Docker context, <c>file:</c>); kept as it is.</summary>
    public JobEnvironment? InlineEnvironment { get; set; }

    /// <summary>Whether the image comes from the job's own environment (<c>file:</c> or a build), so no image is entered.</summary>
    public bool ImageFromFiles => InlineEnvironment is { } e && (e.File is not null || e.IsBuild);

    /// <summary>The job's data outputs (from an imported YAML or the job this form copies), kept as they are.</summary>
    public IReadOnlyDictionary<string, JobDataOutput> DataOutputs { get; set; } = new Dictionary<string, JobDataOutput>();

    public static JobFormModel FromSpec(JobSpec spec) => new()
    {
        DataInputs = [.. spec.DataInputs.OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => DataInputRow.From(i.Key, i.Value))],
        InlineEnvironment = spec.InlineEnvironment,
        Compute = spec.Compute,
        InstanceType = spec.InstanceType,
        InstanceCount = spec.InstanceCount,
        UseImage = spec.Environment is null,
        Image = spec.Image,
        Environment = spec.Environment,
        Command = spec.Command,
        Inputs = Rows(spec.Inputs),
        EnvironmentVariables = Rows(spec.EnvironmentVariables),
        Distribution = spec.Distribution.Kind,
        ProcessCountPerInstance = spec.Distribution.ProcessCountPerInstance,
        WorkerCount = spec.Distribution.WorkerCount,
        ParameterServerCount = spec.Distribution.ParameterServerCount,
        TimeoutMinutes = spec.Timeout?.TotalMinutes,
        Priority = spec.Priority,
        DisplayName = spec.DisplayName,
        ExperimentName = spec.ExperimentName,
        Description = spec.Description,
        Tags = Rows(spec.Tags),
        MaxRetries = spec.MaxRetries,
        Code = spec.Code,
        CodeSnapshot = spec.CodeSnapshot,
        DataOutputs = spec.DataOutputs,
    };

    /// <summary>The spec as the service takes it (blank strings become null; empty key rows are ignored).</summary>
    public JobSpec ToSpec() => new()
    {
        DataInputs = DataInputs.Where(r => !string.IsNullOrWhiteSpace(r.Name)).GroupBy(r => r.Name.Trim(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().ToInput(), StringComparer.Ordinal),
        InlineEnvironment = InlineEnvironment,
        Compute = Compute?.Trim() ?? string.Empty,
        InstanceType = Blank(InstanceType),
        InstanceCount = InstanceCount,
        Image = UseImage || ImageFromFiles ? Blank(Image) : null,
        Environment = UseImage || ImageFromFiles ? null : Blank(Environment),
        Command = Command?.Trim() ?? string.Empty,
        Inputs = Map(Inputs),
        EnvironmentVariables = Map(EnvironmentVariables),
        Distribution = Distribution switch
        {
            DistributionKind.PyTorch => new Distribution(DistributionKind.PyTorch, ProcessCountPerInstance ?? 1),
            DistributionKind.Mpi => new Distribution(DistributionKind.Mpi, ProcessCountPerInstance ?? 1),
            DistributionKind.TensorFlow => new Distribution(DistributionKind.TensorFlow, WorkerCount: WorkerCount ?? InstanceCount, ParameterServerCount: ParameterServerCount ?? 0),
            _ => Domain.Jobs.Distribution.None,
        },
        Timeout = TimeoutMinutes is > 0 ? TimeSpan.FromMinutes(TimeoutMinutes.Value) : null,
        Priority = Priority,
        DisplayName = Blank(DisplayName),
        ExperimentName = Blank(ExperimentName),
        Description = Blank(Description),
        Tags = Map(Tags),
        MaxRetries = MaxRetries,
        Code = Code,
        CodeSnapshot = CodeSnapshot,
        DataOutputs = DataOutputs,
    };

    /// <summary>Per-field messages for what can be judged without the cluster; empty when the form may be submitted.</summary>
    public IReadOnlyDictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(Compute))
        {
            errors[JobFormFields.Compute] = "Choose a compute target.";
        }

        if (InstanceCount is < 1 or > JobSpecRules.MaxInstances)
        {
            errors[JobFormFields.InstanceCount] = $"Instance count must be between 1 and {JobSpecRules.MaxInstances}.";
        }

        if (ImageFromFiles)
        {
            // The image comes from the environment file or the build, read from the files at submit.
        }
        else if (UseImage && string.IsNullOrWhiteSpace(Image))
        {
            errors[JobFormFields.Image] = "Enter a container image, e.g. python:3.12 or myregistry.io/team/train:1.4.";
        }
        else if (UseImage && !ImageReference().IsMatch(Image!.Trim()))
        {
            errors[JobFormFields.Image] = "Not a valid image reference: use [registry/]repository[:tag|@sha256:digest] in lowercase, without spaces.";
        }

        if (!UseImage && !ImageFromFiles && string.IsNullOrWhiteSpace(Environment))
        {
            errors[JobFormFields.Environment] = "Enter a registered environment, e.g. azureml:pytorch-2:3.";
        }

        if (string.IsNullOrWhiteSpace(Command))
        {
            errors[JobFormFields.Command] = "Enter the command to run.";
        }
        else if (MissingInputs.Count > 0)
        {
            errors[JobFormFields.Command] = $"The command uses {string.Join(", ", MissingInputs.Select(n => $"${{{{inputs.{n}}}}}"))} but no input has that name.";
        }

        KeyRows(Inputs, JobFormFields.Inputs, key => InputName().IsMatch(key) ? null : $"'{Short(key)}' is not a valid name: use letters, digits and underscores, starting with a letter or underscore.", errors);
        KeyRows(EnvironmentVariables, JobFormFields.EnvironmentVariables, JobSpecRules.ValidateEnvironmentName, errors);
        KeyRows(Tags, JobFormFields.Tags, null, errors);

        switch (Distribution)
        {
            case DistributionKind.PyTorch or DistributionKind.Mpi when ProcessCountPerInstance is < 1 or > 64:
                errors[JobFormFields.ProcessCountPerInstance] = "Processes per instance must be between 1 and 64.";
                break;
            case DistributionKind.Mpi when ProcessCountPerInstance is null:
                errors[JobFormFields.ProcessCountPerInstance] = "MPI needs the number of processes per instance.";
                break;
            case DistributionKind.TensorFlow:
                if (WorkerCount is < 1)
                {
                    errors[JobFormFields.WorkerCount] = "A TensorFlow job needs at least one worker.";
                }

                if (ParameterServerCount is < 0)
                {
                    errors[JobFormFields.ParameterServerCount] = "Parameter servers cannot be negative.";
                }

                if ((WorkerCount ?? InstanceCount) + (ParameterServerCount ?? 0) != InstanceCount)
                {
                    errors[JobFormFields.WorkerCount] = $"Workers + parameter servers ({(WorkerCount ?? InstanceCount) + (ParameterServerCount ?? 0)}) must equal the instance count ({InstanceCount}).";
                }

                break;
        }

        if (TimeoutMinutes is <= 0)
        {
            errors[JobFormFields.Timeout] = "The timeout must be positive (or empty for none).";
        }

        if (MaxRetries is < 0 or > JobSpecRules.MaxRetries)
        {
            errors[JobFormFields.MaxRetries] = $"Retries must be between 0 and {JobSpecRules.MaxRetries}.";
        }

        if (DisplayName?.Length > 256)
        {
            errors[JobFormFields.DisplayName] = "The display name is longer than 256 characters.";
        }

        if (Blank(ExperimentName) is { } experiment && JobSpecRules.ValidateExperimentName(experiment) is { } experimentError)
        {
            errors[JobFormFields.ExperimentName] = experimentError;
        }

        foreach (var row in DataInputs)
        {
            if (row.Validate(HasFiles) is { } rowError)
            {
                errors.TryAdd(JobFormFields.DataInput(row.Name), rowError);
            }
            else if (DataInputs.Count(r => string.Equals(r.Name.Trim(), row.Name.Trim(), StringComparison.Ordinal)) > 1 || Inputs.Any(r => string.Equals(r.Key.Trim(), row.Name.Trim(), StringComparison.Ordinal)))
            {
                errors.TryAdd(JobFormFields.DataInput(row.Name), $"Another input is named '{row.Name.Trim()}'.");
            }
        }

        // The domain's rules too (the service applies them on submit): the form never accepts what submit would refuse.
        foreach (var error in JobSpecRules.Validate(ToSpec()))
        {
            if (FieldOf(error.Field) is { } field)
            {
                errors.TryAdd(field == JobFormFields.Environment && UseImage ? JobFormFields.Image : field, error.Message);
            }
        }

        return errors;
    }

    /// <summary>Whether files were chosen to send with the job (code, local inputs, environment files).</summary>
    public bool HasFiles { get; set; }

    /// <summary>The form field of a service error: a data input's row for <c>inputs.NAME...</c> when NAME is a data input.</summary>
    public string? FieldOf(string? serviceField)
    {
        if (serviceField == "environment" && ImageFromFiles)
        {
            return JobFormFields.EnvironmentFiles;
        }

        if (serviceField is { } f && f.StartsWith("inputs.", StringComparison.Ordinal))
        {
            var name = f["inputs.".Length..].Split('.')[0];
            if (DataInputs.Any(r => string.Equals(r.Name.Trim(), name, StringComparison.Ordinal)))
            {
                return JobFormFields.DataInput(name);
            }
        }

        return JobFormFields.Of(serviceField);
    }

    private static void KeyRows(List<KeyValueRow> rows, string field, Func<string, string?>? validate, Dictionary<string, string> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var key = row.Key.Trim();
            if (key.Length == 0)
            {
                if (row.Value.Length > 0)
                {
                    errors[field] = $"A value '{Short(row.Value)}' has no name.";
                    return;
                }

                continue;
            }

            if (validate?.Invoke(key) is { } invalid)
            {
                errors[field] = invalid;
                return;
            }

            if (!seen.Add(key))
            {
                errors[field] = $"'{Short(key)}' appears twice.";
                return;
            }
        }
    }

    private static string Short(string value) => value.Length > 40 ? value[..40] + "…" : value;

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static List<KeyValueRow> Rows(IReadOnlyDictionary<string, string> map) => [.. map.Select(p => new KeyValueRow(p.Key, p.Value))];

    private static Dictionary<string, string> Map(List<KeyValueRow> rows)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in rows.Where(r => r.Key.Trim().Length > 0))
        {
            map[row.Key.Trim()] = row.Value;
        }

        return map;
    }

    [GeneratedRegex(@"\$\{\{\s*inputs\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")]
    private static partial Regex InputPlaceholder();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex InputName();

    [GeneratedRegex(@"^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-]+[a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(@sha256:[a-f0-9]{64})?$")]
    private static partial Regex ImageReference();
}
