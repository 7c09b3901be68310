namespace Studio.Web.Model;

/// <summary>The field names of the form; service errors with these <c>Field</c> values show under the field.</summary>
public static class JobFormFields
{
    public const string Compute = "compute";
    public const string InstanceType = "instanceType";
    public const string InstanceCount = "instanceCount";
    public const string Image = "image";
    public const string Environment = "environment";
    public const string Command = "command";
    public const string Inputs = "inputs";
    public const string EnvironmentVariables = "environmentVariables";
    public const string Distribution = "distribution";
    public const string ProcessCountPerInstance = "distribution.processCountPerInstance";
    public const string WorkerCount = "distribution.workerCount";
    public const string ParameterServerCount = "distribution.parameterServerCount";
    public const string Timeout = "timeout";
    public const string Priority = "priority";
    public const string DisplayName = "displayName";
    public const string ExperimentName = "experimentName";
    public const string Description = "description";
    public const string Tags = "tags";
    public const string MaxRetries = "maxRetries";

    /// <summary>The files sent with the job (a folder or a zip): code, local inputs, environment files.</summary>
    public const string Code = "code";

    /// <summary>What the job's own environment names among its files (<c>file:</c>, a conda file, a build context).</summary>
    public const string EnvironmentFiles = "environmentFiles";

    /// <summary>A data input's row.</summary>
    public static string DataInput(string name) => "dataInputs." + name.Trim();

    /// <summary>
    /// The form field a service error belongs to: accepts the spec's property names in any case and the YAML's
    /// snake_case paths (<c>resources.instance_count</c>, <c>limits.timeout</c>...). Null when it is not a form field.
    /// </summary>
    public static string? Of(string? serviceField)
    {
        if (string.IsNullOrWhiteSpace(serviceField))
        {
            return null;
        }

        var key = serviceField.Replace("_", string.Empty, StringComparison.Ordinal).ToLowerInvariant();
        var dot = key.IndexOf('[', StringComparison.Ordinal);
        key = dot > 0 ? key[..dot] : key;
        return key switch
        {
            "compute" => Compute,
            "instancetype" or "resources.instancetype" => InstanceType,
            "instancecount" or "resources.instancecount" => InstanceCount,
            "image" or "environment.image" => Image,
            "environment" => Environment,
            "code" or "codesnapshot" => Code,
            _ when key.StartsWith("environment.condafile", StringComparison.Ordinal) || key.StartsWith("environment.build", StringComparison.Ordinal) => EnvironmentFiles,
            "command" => Command,
            _ when key.StartsWith("inputs", StringComparison.Ordinal) => Inputs,
            _ when key.StartsWith("environmentvariables", StringComparison.Ordinal) => EnvironmentVariables,
            "distribution.processcountperinstance" or "processcountperinstance" => ProcessCountPerInstance,
            "distribution.workercount" or "workercount" => WorkerCount,
            "distribution.parameterservercount" or "parameterservercount" => ParameterServerCount,
            _ when key.StartsWith("distribution", StringComparison.Ordinal) => Distribution,
            "timeout" or "limits.timeout" => Timeout,
            "priority" or "queuesettings.priority" => Priority,
            "displayname" => DisplayName,
            "experimentname" => ExperimentName,
            "description" => Description,
            _ when key.StartsWith("tags", StringComparison.Ordinal) => Tags,
            "maxretries" => MaxRetries,
            _ => null,
        };
    }
}
