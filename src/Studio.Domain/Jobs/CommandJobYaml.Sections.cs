using System.Globalization;
using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using Studio.Domain.Workspaces;
using YamlDotNet.RepresentationModel;

namespace Studio.Domain.Jobs;

/// <summary>The sections of a CLI v2 command job that take more than a scalar: environment, compute, resources, limits, inputs, distribution and queue settings.</summary>
public static partial class CommandJobYaml
{
    private sealed partial class Reader
    {
        private const string CuratedPrefix = "AzureML-";

        /// <summary>
        /// The reference a job spec keeps for an environment: a workspace one as written (<c>NAME@latest</c>,
        /// <c>NAME:VERSION</c>); one of Azure ML's public registry (<c>azureml://registries/azureml/environments/NAME/...</c>)
        /// is the curated environment <c>AzureML-NAME</c> that Studio's catalog serves. Another registry cannot be reached:
        /// its name is looked up in the workspace, and the YAML says so.
        /// </summary>
        private string EnvironmentOf(AssetReference reference, string written)
        {
            if (reference.Registry is null)
            {
                return reference.ToShortString();
            }

            if (!string.Equals(reference.RegistryKind, "environments", StringComparison.OrdinalIgnoreCase))
            {
                _errors.Add(Error.Validation("environment", $"'{written}' names a registry's {reference.RegistryKind}, not an environment."));
                return reference.ToShortString();
            }

            if (string.Equals(reference.Registry, "azureml", StringComparison.OrdinalIgnoreCase))
            {
                var curated = reference.Name.StartsWith(CuratedPrefix, StringComparison.OrdinalIgnoreCase) ? reference.Name : CuratedPrefix + reference.Name;
                return (reference with { Name = curated, Registry = null, RegistryKind = null }).ToShortString();
            }

            _issues.Add(new YamlIssue("environment", $"Registry '{reference.Registry}' is not reachable from Studio: the environment is looked up by its name '{reference.Name}' in the workspace and the studio's environments instead."));
            return (reference with { Registry = null, RegistryKind = null }).ToShortString();
        }

        /// <summary><c>code: src</c>: a folder beside the YAML (normalized); a datastore, asset or URL is named as not supported.</summary>
        private string? ReadCode(YamlNode value)
        {
            var text = Scalar(value, "code");
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (text.Trim() is "." or "./")
            {
                return ".";
            }

            var parsed = Artifacts.ArtifactUri.Parse(text, "code");
            if (!parsed.IsSuccess)
            {
                _errors.AddRange(parsed.Errors);
                return null;
            }

            if (parsed.Value.Kind != Artifacts.ArtifactUriKind.LocalPath)
            {
                _issues.Add(new YamlIssue("code", $"Code from '{text}' is not fetched by Studio; give the folder beside the YAML (code: src) and upload it with the job."));
                return null;
            }

            return parsed.Value.Path!.TrimEnd('/');
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
    }
}
