using System.Globalization;
using System.Text;
using Studio.Domain.Workspaces;

namespace Studio.Domain.Jobs;

/// <summary>Writes a <see cref="JobSpec"/> back as a CLI v2 command job YAML (the record's "submitted spec", clone-and-edit, download).</summary>
public static class CommandJobYamlExport
{
    public static string Export(JobSpec spec)
    {
        var y = new StringBuilder();
        y.Append("$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json\n");
        y.Append("type: command\n");
        Line(y, "name", spec.Name);
        Line(y, "display_name", spec.DisplayName);
        Line(y, "experiment_name", spec.ExperimentName);
        Line(y, "description", spec.Description);
        Line(y, "code", spec.Code);
        if (spec.Command.Contains('\n', StringComparison.Ordinal))
        {
            y.Append(spec.Command.EndsWith('\n') ? "command: |\n" : "command: |-\n");
            foreach (var line in spec.Command.TrimEnd('\n').Split('\n'))
            {
                y.Append("  ").Append(line).Append('\n');
            }
        }
        else
        {
            Line(y, "command", spec.Command);
        }

        if (spec.InlineEnvironment is { } inline)
        {
            ExportInline(y, spec.Image, inline);
        }
        else if (spec.Image is not null)
        {
            y.Append("environment:\n");
            Line(y, "  image", spec.Image);
        }
        else if (spec.Environment is not null)
        {
            Line(y, "environment", ComputeTargetName.AzureMlPrefix + spec.Environment);
        }

        Line(y, "compute", string.IsNullOrEmpty(spec.Compute) ? null : ComputeTargetName.AzureMlPrefix + spec.Compute);
        y.Append("resources:\n");
        y.Append("  instance_count: ").Append(spec.InstanceCount.ToString(CultureInfo.InvariantCulture)).Append('\n');
        Line(y, "  instance_type", spec.InstanceType);
        Map(y, "inputs", spec.Inputs);
        if (spec.DataInputs.Count > 0)
        {
            if (spec.Inputs.Count == 0)
            {
                y.Append("inputs:\n");
            }

            foreach (var (name, input) in spec.DataInputs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                y.Append("  ").Append(Quote(name)).Append(":\n");
                y.Append("    type: ").Append(input.Type == Artifacts.DataAssetType.UriFile ? "uri_file" : "uri_folder").Append('\n');
                Line(y, "    path", input.Path);
                Line(y, "    mode", input.Mode);
            }
        }

        if (spec.DataOutputs.Count > 0)
        {
            y.Append("outputs:\n");
            foreach (var (name, output) in spec.DataOutputs.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                y.Append("  ").Append(Quote(name)).Append(":\n");
                y.Append("    type: ").Append(output.Type == Artifacts.DataAssetType.UriFile ? "uri_file" : "uri_folder").Append('\n');
                Line(y, "    path", output.Path);
                Line(y, "    mode", output.Mode);
            }
        }

        Map(y, "environment_variables", spec.EnvironmentVariables);
        if (spec.Distribution.Kind != DistributionKind.None)
        {
            y.Append("distribution:\n");
            y.Append("  type: ").Append(spec.Distribution.Kind.ToString().ToLowerInvariant()).Append('\n');
            Number(y, "  process_count_per_instance", spec.Distribution.ProcessCountPerInstance);
            Number(y, "  worker_count", spec.Distribution.WorkerCount);
            Number(y, "  parameter_server_count", spec.Distribution.ParameterServerCount);
        }

        if (spec.Timeout is { } t)
        {
            y.Append("limits:\n  timeout: ").Append(((long)t.TotalSeconds).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        if (spec.Priority is { } p)
        {
            y.Append("queue_settings:\n  priority: ").Append(p switch { -100 => "low", 0 => "medium", 100 => "high", _ => p.ToString(CultureInfo.InvariantCulture) }).Append('\n');
        }

        Map(y, "tags", spec.Tags);
        return y.ToString();
    }

    /// <summary>The job's own environment: a file reference as written, else image with the conda file inline, or the build.</summary>
    private static void ExportInline(StringBuilder y, string? image, JobEnvironment inline)
    {
        if (inline.File is not null)
        {
            Line(y, "environment", CommandJobYaml.FilePrefix + inline.File);
            return;
        }

        y.Append("environment:\n");
        Line(y, "  image", image);
        if (inline.CondaFile is { } conda)
        {
            y.Append("  conda_file:\n");
            foreach (var line in conda.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n'))
            {
                y.Append("    ").Append(line).Append('\n');
            }
        }
        else
        {
            Line(y, "  conda_file", inline.CondaFilePath);
        }

        if (inline.IsBuild)
        {
            y.Append("  build:\n");
            Line(y, "    path", string.IsNullOrEmpty(inline.BuildPath) ? "." : inline.BuildPath);
            Line(y, "    dockerfile_path", inline.Dockerfile);
        }
    }

    private static void Line(StringBuilder y, string key, string? value)
    {
        if (value is not null)
        {
            y.Append(key).Append(": ").Append(Quote(value)).Append('\n');
        }
    }

    private static void Number(StringBuilder y, string key, int? value)
    {
        if (value is { } v)
        {
            y.Append(key).Append(": ").Append(v.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
    }

    private static void Map(StringBuilder y, string key, IReadOnlyDictionary<string, string> values)
    {
        if (values.Count == 0)
        {
            return;
        }

        y.Append(key).Append(":\n");
        foreach (var (k, v) in values.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            y.Append("  ").Append(Quote(k)).Append(": ").Append(Quote(v)).Append('\n');
        }
    }

    /// <summary>Double-quotes a scalar unless it is plainly safe (keeps numbers and simple words readable).</summary>
    private static string Quote(string value)
    {
        var plain = value.Length > 0
            && value.All(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '@' or ' ' or '$' or '{' or '}' or '=' or ',')
            && !value.StartsWith(' ') && !value.EndsWith(' ') && !value.Contains(": ", StringComparison.Ordinal)
            && !value.StartsWith('{') && !value.StartsWith('$') && value is not ("true" or "false" or "null" or "yes" or "no" or "~");
        return plain ? value : "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
    }
}
