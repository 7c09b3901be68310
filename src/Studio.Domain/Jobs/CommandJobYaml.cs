using System.Globalization;
using Studio.Domain.AzureMl;
using Studio.Domain.Common;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Studio.Domain.Jobs;

/// <summary>
/// Imports an Azure ML CLI v2 command job (<c>commandJob.schema.json</c>, reference §4.1) into a <see cref="JobSpec"/>.
/// The YAML is read into a node tree so that every error names its path (<c>resources.instance_count</c>); keys Studio
/// does not support are listed with the reason (<c>code</c>, <c>inputs.data.type</c>, <c>services.my_vscode</c>), never
/// dropped silently. Malformed YAML, wrong value types and unknown distribution types are errors; a spec that imports
/// may still fail <see cref="JobSpec.Validate"/> (for example when the compute is left for the form to pick).
/// </summary>
public static partial class CommandJobYaml
{
    private static readonly Dictionary<string, int> Priorities = new(StringComparer.OrdinalIgnoreCase) { ["low"] = -100, ["medium"] = 0, ["high"] = 100 };

    public static Result<JobImport> Import(string? yaml)
    {
        if (string.IsNullOrWhiteSpace(yaml))
        {
            return Error.Validation("(document)", "The YAML is empty. Paste a CLI v2 command job (command, environment, compute...).");
        }

        YamlMappingNode root;
        try
        {
            var stream = YamlReader.Load(yaml);
            if (stream.Documents.Count == 0)
            {
                return Error.Validation("(document)", "The YAML is empty.");
            }

            if (stream.Documents.Count > 1)
            {
                return Error.Validation("(document)", "The YAML has more than one document; import one job at a time.");
            }

            if (stream.Documents[0].RootNode is not YamlMappingNode mapping)
            {
                return Error.Validation("(document)", "A job is a YAML mapping (key: value lines), e.g. 'command: python train.py'.");
            }

            root = mapping;
        }
        catch (YamlException e)
        {
            return Error.Validation("(document)", string.Create(CultureInfo.InvariantCulture, $"The YAML cannot be read at line {e.Start.Line}, column {e.Start.Column}: {Inner(e).Message}"));
        }

        if (AzureMlFiles.Refuse(AzureMlFiles.Recognise(root), "a command job", AzureMlFileKind.CommandJob) is { } elsewhere)
        {
            return elsewhere;
        }

        return new Reader().Read(root);
    }

    private static Exception Inner(Exception e) => e.InnerException is { } inner && e.Message.Contains("See inner", StringComparison.Ordinal) ? inner : e;

    private sealed partial class Reader
    {
        private readonly List<Error> _errors = [];
        private readonly List<YamlIssue> _issues = [];

        public Result<JobImport> Read(YamlMappingNode root)
        {
            string? compute = null, instanceType = null, image = null, environment = null, command = null;
            string? code = null;
            JobEnvironment? inline = null;
            string? name = null, displayName = null, experiment = null, description = null;
            var instanceCount = 1;
            TimeSpan? timeout = null;
            int? priority = null;
            var distribution = Distribution.None;
            var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
            var dataInputs = new Dictionary<string, JobDataInput>(StringComparer.Ordinal);
            var dataOutputs = new Dictionary<string, JobDataOutput>(StringComparer.Ordinal);
            var env = new Dictionary<string, string>(StringComparer.Ordinal);
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);

            foreach (var (keyNode, value) in root.Children)
            {
                var key = Key(keyNode);
                switch (key)
                {
                    case "$schema":
                        var schema = Scalar(value, key);
                        if (schema is not null && !schema.Contains("commandJob", StringComparison.OrdinalIgnoreCase) && schema.Contains("Job", StringComparison.Ordinal))
                        {
                            _errors.Add(Error.Validation(key, $"This is not a command job ({schema}); Studio imports command jobs."));
                        }

                        break;
                    case "type":
                        var type = Scalar(value, key);
                        if (type is not null && !string.Equals(type, "command", StringComparison.OrdinalIgnoreCase))
                        {
                            _errors.Add(Error.Validation(key, $"Job type '{type}' is not supported; Studio runs command jobs (type: command)."));
                        }

                        break;
                    case "name":
                        name = Scalar(value, key);
                        break;
                    case "display_name":
                        displayName = Scalar(value, key);
                        break;
                    case "experiment_name":
                        experiment = Scalar(value, key);
                        break;
                    case "description":
                        description = Scalar(value, key);
                        break;
                    case "tags":
                        ReadStrings(value, key, tags);
                        break;
                    case "command":
                        command = Scalar(value, key);
                        break;
                    case "code":
                        code = ReadCode(value);
                        break;
                    case "environment":
                        (image, environment, inline) = ReadEnvironment(value);
                        break;
                    case "environment_variables":
                        ReadStrings(value, key, env);
                        break;
                    case "compute":
                        compute = ReadCompute(value);
                        break;
                    case "resources":
                        ReadResources(value, ref instanceCount, ref instanceType);
                        break;
                    case "limits":
                        timeout = ReadLimits(value);
                        break;
                    case "inputs":
                        ReadInputs(value, inputs, dataInputs);
                        break;
                    case "outputs":
                        ReadOutputs(value, dataOutputs);
                        break;
                    case "distribution":
                        distribution = ReadDistribution(value) ?? distribution;
                        break;
                    case "queue_settings":
                        priority = ReadQueueSettings(value);
                        break;
                    case "services":
                        foreach (var (serviceKey, _) in Entries(value, key))
                        {
                            _issues.Add(new YamlIssue($"services.{Key(serviceKey)}", "Interactive services (SSH, VS Code, JupyterLab, TensorBoard) are not supported on Studio jobs; read the live logs instead."));
                        }

                        break;
                    case "identity":
                        _issues.Add(new YamlIssue(key, "Job identities are not supported: the job runs with the compute target's identity (set by IT operations)."));
                        break;
                    case "properties":
                        _issues.Add(new YamlIssue(key, "Job properties are not kept; use tags for metadata."));
                        break;
                    case "parent_job_name" or "status" or "creation_context" or "id" or "services_status" or "studio_url":
                        _issues.Add(new YamlIssue(key, "Read-only field of an existing job; ignored on import."));
                        break;
                    default:
                        _issues.Add(new YamlIssue(key, $"'{key}' is not a command job key Studio supports; it is ignored."));
                        break;
                }
            }

            if (command is null && !_errors.Any(e => e.Field == "command"))
            {
                _errors.Add(Error.Validation("command", "A command job needs a command (command: python train.py)."));
            }

            if (_errors.Count > 0)
            {
                return Result<JobImport>.Failure(_errors);
            }

            var spec = new JobSpec
            {
                Compute = compute ?? string.Empty,
                InstanceType = instanceType,
                InstanceCount = instanceCount,
                Image = image,
                Environment = environment,
                InlineEnvironment = inline,
                Command = command!,
                Code = code,
                Inputs = inputs,
                DataInputs = dataInputs,
                DataOutputs = dataOutputs,
                EnvironmentVariables = env,
                Distribution = distribution,
                Timeout = timeout,
                Priority = priority,
                Name = name,
                DisplayName = displayName,
                ExperimentName = experiment,
                Description = description,
                Tags = tags,
            };
            return new JobImport(spec, _issues);
        }

        private void ReadStrings(YamlNode value, string path, Dictionary<string, string> target)
        {
            foreach (var (k, v) in Entries(value, path))
            {
                var key = Key(k, path);
                if (Scalar(v, $"{path}.{key}") is { } text)
                {
                    target[key] = text;
                }
            }
        }

        private IEnumerable<KeyValuePair<YamlNode, YamlNode>> Entries(YamlNode node, string path) =>
            Mapping(node, path)?.Children ?? Enumerable.Empty<KeyValuePair<YamlNode, YamlNode>>();

        private YamlMappingNode? Mapping(YamlNode node, string path)
        {
            if (node is YamlMappingNode mapping)
            {
                return mapping;
            }

            if (node is YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                return null;
            }

            _errors.Add(Error.Validation(path, $"Expected a mapping (key: value lines) at {path} (line {node.Start.Line})."));
            return null;
        }

        private string? Scalar(YamlNode node, string path)
        {
            if (node is YamlScalarNode scalar)
            {
                return scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && scalar.Value is "~" or "null" ? null : scalar.Value;
            }

            _errors.Add(Error.Validation(path, $"Expected a single value at {path} (line {node.Start.Line}), not a {(node is YamlSequenceNode ? "list" : "mapping")}."));
            return null;
        }

        private int? Integer(YamlNode node, string path)
        {
            var text = Scalar(node, path);
            if (text is null)
            {
                return null;
            }

            if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            _errors.Add(Error.Validation(path, $"Expected a whole number at {path}, not '{text}'."));
            return null;
        }

        /// <summary>A mapping key: a single value. A list or mapping as a key is an error at <paramref name="parent"/>, never read as text.</summary>
        private string Key(YamlNode node, string? parent = null)
        {
            if (node is YamlScalarNode { Value: { } v })
            {
                return v;
            }

            var where = string.Create(CultureInfo.InvariantCulture, $"line {node.Start.Line}, column {node.Start.Column}");
            _errors.Add(Error.Validation(parent ?? "(document)", $"A key must be a single value, not a {(node is YamlSequenceNode ? "list" : node is YamlMappingNode ? "mapping" : "null")} ({where})."));
            return $"({where})";
        }

        private static bool TryIsoDuration(string text, out TimeSpan value)
        {
            try
            {
                value = System.Xml.XmlConvert.ToTimeSpan(text);
                return value > TimeSpan.Zero;
            }
            catch (FormatException)
            {
                value = default;
                return false;
            }
        }
    }
}
