using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using YamlDotNet.RepresentationModel;

namespace Studio.Domain.Jobs;

/// <summary>
/// <c>inputs</c> of a CLI v2 command job: literals (<c>lr: 0.1</c>, <c>{type: number, value: 0.1}</c>) and data inputs
/// (<c>{type: uri_folder, path: ./data, mode: download}</c>). A local path (sent with the job), an https file, a datastore
/// path or a data asset becomes a <see cref="JobDataInput"/> fetched into the pod; <c>mode: direct</c> passes an https
/// or local path's text itself, and a signed URL for a datastore file or asset. Models as inputs are not fetched yet
/// (their path text is passed, named as unsupported).
/// </summary>
public static partial class CommandJobYaml
{
    private sealed partial class Reader
    {
        private void ReadInputs(YamlNode value, Dictionary<string, string> inputs, Dictionary<string, JobDataInput> dataInputs)
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
                if (path is not null && type is null or "uri_file" or "uri_folder" && ReadDataInput(name, at, type, path, fields, inputs, dataInputs))
                {
                    continue;
                }

                if (path is not null && type is null or "uri_file" or "uri_folder" or "mltable" or "mlflow_model" or "custom_model" or "triton_model")
                {
                    // Keep the job runnable: the placeholder becomes the path text; nothing is fetched.
                    inputs[name] = path;
                    _issues.Add(new YamlIssue(
                        at + (type is null ? ".path" : ".type"),
                        $"Data inputs from data assets, datastores and models{(type is null ? string.Empty : $" ({type})")} are not fetched by Studio yet: ${{{{inputs.{name}}}}} is replaced by the path text '{path}'. Send the files with the job (path: ./data) or use an https URL."));
                    foreach (var extra in fields.Keys.Where(f => f is "mode" or "datastore"))
                    {
                        _issues.Add(new YamlIssue($"{at}.{extra}", $"'{extra}' of a data input is ignored (nothing is fetched)."));
                    }

                    continue;
                }

                _issues.Add(new YamlIssue(
                    at + ".type",
                    type is "uri_file" or "uri_folder" or "mltable" or "mlflow_model" or "custom_model" or "triton_model"
                        ? $"Data inputs ({type}) need a path: a local file or folder sent with the job, or an https URL."
                        : $"Input type '{type ?? "(none)"}' is not supported; literal inputs (inputs.NAME: value) are."));
            }
        }

        /// <summary>A local or https data input; false when its path is one Studio does not fetch (an asset, a datastore).</summary>
        private bool ReadDataInput(string name, string at, string? type, string path, Dictionary<string, YamlNode> fields, Dictionary<string, string> inputs, Dictionary<string, JobDataInput> dataInputs)
        {
            var location = ArtifactUri.Parse(path, at + ".path");
            if (!location.IsSuccess)
            {
                _errors.AddRange(location.Errors);
                return true;
            }

            var mode = fields.TryGetValue("mode", out var modeNode) ? Scalar(modeNode, at + ".mode") : null;
            var fetched = location.Value.Kind is ArtifactUriKind.DatastorePath or ArtifactUriKind.Asset;
            switch (mode)
            {
                case "direct" when fetched:
                    // The studio signs a read URL for the file at submit and passes it as the value.
                    break;
                case "direct":
                    // Azure ML hands the job the URI itself.
                    inputs[name] = location.Value.ToString();
                    return true;
                case "rw_mount" or "upload":
                    _errors.Add(Error.Validation(at + ".mode", $"'{mode}' is an output mode; an input is read: use download or ro_mount."));
                    return true;
                case "ro_mount" or "eval_mount" or null or "download" or "eval_download":
                    // A FUSE mount needs a CSI driver: Studio downloads the data before the command starts (read-only), and
                    // the job's Inputs tab says so (JobDataInput.Delivery).
                    break;
                default:
                    _errors.Add(Error.Validation(at + ".mode", $"Input mode '{mode}' is not known; use download, ro_mount or direct."));
                    return true;
            }

            foreach (var extra in fields.Keys.Where(f => f is not ("type" or "path" or "mode" or "description" or "optional")))
            {
                _issues.Add(new YamlIssue($"{at}.{extra}", $"'{extra}' of a data input is ignored."));
            }

            dataInputs[name] = new JobDataInput(type == "uri_file" ? DataAssetType.UriFile : DataAssetType.UriFolder, location.Value.ToString(), mode);
            return true;
        }
    }
}
