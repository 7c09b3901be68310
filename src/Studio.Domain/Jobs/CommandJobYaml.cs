using System.Globalization;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
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
public static class CommandJobYaml
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
            var stream = new YamlStream();
            stream.Load(new StringReader(yaml));
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

        return new Reader().Read(root);
    }

    private static Exception Inner(Exception e) => e.InnerException is { } inner && e.Message.Contains("See inner", StringComparison.Ordinal) ? inner : e;

    private sealed class Reader
    {
        private readonly List<Error> _errors = [];
        private readonly List<YamlIssue> _issues = [];

        public Result<JobImport> Read(YamlMappingNode root)
        {
            string? compute = null, instanceType = null, image = null, environment = null, command = null;
            string? name = null, displayName = null, experiment = null, description = null;
            var instanceCount = 1;
            TimeSpan? timeout = null;
            int? priority = null;
            var distribution = Distribution.None;
            var inputs = new Dictionary<string, string>(StringComparer.Ordinal);
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
                        _issues.Add(new YamlIssue(key, "Code upload is not supported: build your code into the image (environment.image) or fetch it in the command (git clone, pip install)."));
                        break;
                    case "environment":
                        (image, environment) = ReadEnvironment(value);
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
                        ReadInputs(value, inputs);
                        break;
                    case "outputs":
                        foreach (var (outKey, _) in Entries(value, key))
                        {
                            _issues.Add(new YamlIssue($"outputs.{Key(outKey)}", "Outputs (data assets written by the job) are not supported: write results to storage from the command, or to a volume the image mounts."));
                        }

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
                Command = command!,
                Inputs = inputs,
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

        private (string? Image, string? Environment) ReadEnvironment(YamlNode value)
        {
            const string path = "environment";
            if (value is YamlScalarNode)
            {
                var text = Scalar(value, path);
                if (string.IsNullOrWhiteSpace(text))
                {
                    _errors.Add(Error.Validation(path, "The environment is empty: give azureml:NAME@latest, azureml:NAME:VERSION, or an image (environment: {image: ...})."));
                    return (null, null);
                }

                var reference = ComputeTargetName.Parse(text);
                if (reference.StartsWith("//registries/", StringComparison.OrdinalIgnoreCase) || reference.StartsWith("/subscriptions/", StringComparison.OrdinalIgnoreCase))
                {
                    var last = reference.Split('/', StringSplitOptions.RemoveEmptyEntries);
                    var i = Array.FindLastIndex(last, s => s.Equals("environments", StringComparison.OrdinalIgnoreCase));
                    reference = i >= 0 && i + 1 < last.Length ? last[i + 1] + (i + 3 < last.Length ? ":" + last[i + 3] : "@latest") : reference;
                }

                return (null, reference);
            }

            var mapping = Mapping(value, path);
            if (mapping is null)
            {
                return (null, null);
            }

            string? image = null;
            foreach (var (k, v) in mapping.Children)
            {
                var key = Key(k);
                var at = $"{path}.{key}";
                switch (key)
                {
                    case "image":
                        image = Scalar(v, at);
                        break;
                    case "conda_file":
                        _issues.Add(new YamlIssue(at, "Conda files are not built by Studio: bake the conda environment into the image and set environment.image."));
                        break;
                    case "build":
                        _issues.Add(new YamlIssue(at, "Image builds from a Docker context are not supported: build and push the image, then set environment.image."));
                        break;
                    case "name" or "version" or "description" or "tags":
                        _issues.Add(new YamlIssue(at, "An inline environment is not registered in the workspace; its name, version, description and tags are ignored."));
                        break;
                    default:
                        _issues.Add(new YamlIssue(at, $"'{key}' of an inline environment is not supported; it is ignored."));
                        break;
                }
            }

            return (image, null);
        }

        private string? ReadCompute(YamlNode value)
        {
            var text = Scalar(value, "compute");
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var name = ComputeTargetName.Parse(text);
            if (name.Contains('/', StringComparison.Ordinal))
            {
                name = name[(name.LastIndexOf('/') + 1)..];
            }

            if (name is "local" or "serverless")
            {
                _issues.Add(new YamlIssue("compute", $"'{name}' compute is not available in Studio; choose one of the workspace's compute targets."));
                return null;
            }

            return name;
        }

        private void ReadResources(YamlNode value, ref int instanceCount, ref string? instanceType)
        {
            foreach (var (k, v) in Entries(value, "resources"))
            {
                var key = Key(k);
                var at = $"resources.{key}";
                switch (key)
                {
                    case "instance_count":
                        if (Integer(v, at) is { } count)
                        {
                            if (count < 1)
                            {
                                _errors.Add(Error.Validation(at, "The instance count must be at least 1."));
                            }
                            else
                            {
                                instanceCount = count;
                            }
                        }

                        break;
                    case "instance_type":
                        instanceType = Scalar(v, at);
                        break;
                    case "shm_size":
                        _issues.Add(new YamlIssue(at, "A custom shared-memory size is not supported yet; pods get the container runtime's default /dev/shm."));
                        break;
                    case "docker_args":
                        _issues.Add(new YamlIssue(at, "Docker arguments do not apply on Kubernetes; they are ignored."));
                        break;
                    case "locations" or "max_instance_count":
                        _issues.Add(new YamlIssue(at, "Only applies to Azure ML serverless compute; ignored on a Kubernetes compute target."));
                        break;
                    case "properties":
                        _issues.Add(new YamlIssue(at, "Resource properties are not supported; the instance type decides the pod's resources."));
                        break;
                    default:
                        _issues.Add(new YamlIssue(at, $"'{key}' is not a resources key Studio supports; it is ignored."));
                        break;
                }
            }
        }

        private TimeSpan? ReadLimits(YamlNode value)
        {
            TimeSpan? timeout = null;
            foreach (var (k, v) in Entries(value, "limits"))
            {
                var key = Key(k);
                var at = $"limits.{key}";
                if (key == "timeout")
                {
                    var text = Scalar(v, at);
                    if (text is null)
                    {
                        continue;
                    }

                    if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
                    {
                        if (seconds <= 0)
                        {
                            _errors.Add(Error.Validation(at, "The timeout is in seconds and must be positive."));
                        }
                        else
                        {
                            timeout = TimeSpan.FromSeconds(seconds);
                        }
                    }
                    else if (text.StartsWith('P') && TryIsoDuration(text, out var iso))
                    {
                        timeout = iso;
                    }
                    else
                    {
                        _errors.Add(Error.Validation(at, $"The timeout is a number of seconds (e.g. 3600); '{text}' is not."));
                    }
                }
                else
                {
                    _issues.Add(new YamlIssue(at, $"'{key}' is not a limit Studio supports (only limits.timeout); it is ignored."));
                }
            }

            return timeout;
        }

        private void ReadInputs(YamlNode value, Dictionary<string, string> inputs)
        {
            foreach (var (k, v) in Entries(value, "inputs"))
            {
                var name = Key(k);
                var at = $"inputs.{name}";
                if (v is YamlScalarNode)
                {
                    inputs[name] = Scalar(v, at) ?? string.Empty;
                    continue;
                }

                var mapping = Mapping(v, at);
                if (mapping is null)
                {
                    continue;
                }

                var fields = mapping.Children.ToDictionary(c => Key(c.Key), c => c.Value, StringComparer.Ordinal);
                var type = fields.TryGetValue("type", out var t) ? Scalar(t, at + ".type") : null;
                if (type is "string" or "integer" or "number" or "boolean" && (fields.ContainsKey("value") || fields.ContainsKey("default")))
                {
                    inputs[name] = Scalar(fields.TryGetValue("value", out var literal) ? literal : fields["default"], at + (fields.ContainsKey("value") ? ".value" : ".default")) ?? string.Empty;
                    foreach (var extra in fields.Keys.Where(f => f is not ("type" or "value" or "default" or "description" or "optional")))
                    {
                        _issues.Add(new YamlIssue($"{at}.{extra}", $"'{extra}' of a literal input is ignored."));
                    }

                    continue;
                }

                var path = fields.TryGetValue("path", out var pathNode) ? Scalar(pathNode, at + ".path") : null;
                if (path is not null && type is null or "uri_file" or "uri_folder" or "mltable" or "mlflow_model" or "custom_model" or "triton_model")
                {
                    // Keep the job runnable: the placeholder becomes the path text; nothing is mounted.
                    inputs[name] = path;
                    _issues.Add(new YamlIssue(
                        at + (type is null ? ".path" : ".type"),
                        $"Data inputs{(type is null ? string.Empty : $" ({type})")} are not mounted by Studio: ${{{{inputs.{name}}}}} is replaced by the path text '{path}'. Make the data reachable from the image (a URL, a volume) or change the command."));
                    foreach (var extra in fields.Keys.Where(f => f is "mode" or "datastore"))
                    {
                        _issues.Add(new YamlIssue($"{at}.{extra}", $"'{extra}' of a data input is ignored (nothing is mounted)."));
                    }

                    continue;
                }

                _issues.Add(new YamlIssue(
                    at + ".type",
                    type is "uri_file" or "uri_folder" or "mltable" or "mlflow_model" or "custom_model" or "triton_model"
                        ? $"Data inputs ({type}) are not supported: pass a URL or path as a literal input (inputs.NAME: value) and read it in the command, or mount the data in the image."
                        : $"Input type '{type ?? "(none)"}' is not supported; literal inputs (inputs.NAME: value) are."));
            }
        }

        private Distribution? ReadDistribution(YamlNode value)
        {
            var mapping = Mapping(value, "distribution");
            if (mapping is null)
            {
                return null;
            }

            var fields = mapping.Children.ToDictionary(c => Key(c.Key), c => c.Value, StringComparer.Ordinal);
            if (!fields.TryGetValue("type", out var typeNode))
            {
                _errors.Add(Error.Validation("distribution.type", "Give the distribution type: pytorch, tensorflow or mpi."));
                return null;
            }

            var type = Scalar(typeNode, "distribution.type")?.ToLowerInvariant();
            var kind = type switch
            {
                "pytorch" => DistributionKind.PyTorch,
                "tensorflow" => DistributionKind.TensorFlow,
                "mpi" => DistributionKind.Mpi,
                _ => (DistributionKind?)null,
            };
            if (kind is null)
            {
                if (type == "ray")
                {
                    _issues.Add(new YamlIssue("distribution.type", "Ray distribution is not supported; the job runs without distribution (one process per instance)."));
                    return Distribution.None;
                }

                _errors.Add(Error.Validation("distribution.type", $"Distribution type '{type}' is not known; use pytorch, tensorflow or mpi."));
                return null;
            }

            int? processes = null, workers = null, ps = null;
            foreach (var (key, node) in fields)
            {
                var at = $"distribution.{key}";
                switch (key)
                {
                    case "type":
                        break;
                    case "process_count_per_instance" when kind is DistributionKind.PyTorch or DistributionKind.Mpi:
                        processes = Integer(node, at);
                        break;
                    case "worker_count" when kind == DistributionKind.TensorFlow:
                        workers = Integer(node, at);
                        break;
                    case "parameter_server_count" when kind == DistributionKind.TensorFlow:
                        ps = Integer(node, at);
                        break;
                    default:
                        _issues.Add(new YamlIssue(at, $"'{key}' does not apply to {type} distribution; it is ignored."));
                        break;
                }
            }

            return new Distribution(kind.Value, processes, workers, ps);
        }

        private int? ReadQueueSettings(YamlNode value)
        {
            int? priority = null;
            foreach (var (k, v) in Entries(value, "queue_settings"))
            {
                var key = Key(k);
                var at = $"queue_settings.{key}";
                if (key == "priority")
                {
                    var text = Scalar(v, at);
                    if (text is null)
                    {
                        continue;
                    }

                    if (Priorities.TryGetValue(text, out var p))
                    {
                        priority = p;
                    }
                    else if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
                    {
                        priority = n;
                    }
                    else
                    {
                        _errors.Add(Error.Validation(at, $"Priority '{text}' is not known; use low, medium or high."));
                    }
                }
                else
                {
                    _issues.Add(new YamlIssue(at, key == "job_tier" ? "Job tiers apply to Azure ML serverless compute; ignored on a Kubernetes compute target." : $"'{key}' is not a queue setting Studio supports; it is ignored."));
                }
            }

            return priority;
        }

        private void ReadStrings(YamlNode value, string path, Dictionary<string, string> target)
        {
            foreach (var (k, v) in Entries(value, path))
            {
                var key = Key(k);
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

        private string Key(YamlNode node) => node is YamlScalarNode { Value: { } v } ? v : node.ToString();

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
