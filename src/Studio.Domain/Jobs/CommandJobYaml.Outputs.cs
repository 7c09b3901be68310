using Studio.Domain.Artifacts;
using Studio.Domain.Common;
using YamlDotNet.RepresentationModel;

namespace Studio.Domain.Jobs;

/// <summary>
/// <c>outputs</c> of a CLI v2 command job: <c>outputs.y: {type: uri_folder|uri_file, mode: rw_mount|upload, path?}</c>
/// (an empty entry is a <c>uri_folder</c> in the default place). Model types (<c>mlflow_model</c>, <c>custom_model</c>,
/// <c>triton_model</c>) are written and kept as a folder; register the folder as a model from the job's Outputs tab.
/// </summary>
public static partial class CommandJobYaml
{
    private sealed partial class Reader
    {
        private void ReadOutputs(YamlNode value, Dictionary<string, JobDataOutput> outputs)
        {
            foreach (var (k, v) in Entries(value, "outputs"))
            {
                var name = Key(k);
                var at = $"outputs.{name}";
                if (v is YamlScalarNode { Value: null or "" or "~" or "null" })
                {
                    outputs[name] = new JobDataOutput();
                    continue;
                }

                var mapping = Mapping(v, at);
                if (mapping is null)
                {
                    continue;
                }

                var fields = mapping.Children.ToDictionary(c => Key(c.Key), c => c.Value, StringComparer.Ordinal);
                var type = fields.TryGetValue("type", out var t) ? Scalar(t, at + ".type") : null;
                var mode = fields.TryGetValue("mode", out var m) ? Scalar(m, at + ".mode") : null;
                var path = fields.TryGetValue("path", out var p) ? Scalar(p, at + ".path") : null;
                switch (type)
                {
                    case null or "uri_folder" or "uri_file":
                        break;
                    case "mlflow_model" or "custom_model" or "triton_model" or "mltable":
                        _issues.Add(new YamlIssue(at + ".type", $"Output type '{type}' is written and kept as a folder (uri_folder); register it as a {(type == "mltable" ? "data asset" : "model")} from the job's Outputs tab."));
                        break;
                    default:
                        _errors.Add(Error.Validation(at + ".type", $"Output type '{type}' is not known; use uri_folder or uri_file."));
                        continue;
                }

                if (mode is "direct" or "download" or "ro_mount" or "eval_mount" or "eval_download")
                {
                    _errors.Add(Error.Validation(at + ".mode", $"'{mode}' is an input mode; an output is written: use rw_mount or upload."));
                    continue;
                }

                foreach (var extra in fields.Keys.Where(f => f is not ("type" or "mode" or "path" or "description")))
                {
                    _issues.Add(new YamlIssue($"{at}.{extra}", $"'{extra}' of an output is ignored (register the output as a data asset or model from the job's Outputs tab)."));
                }

                outputs[name] = new JobDataOutput(type == "uri_file" ? DataAssetType.UriFile : DataAssetType.UriFolder, mode, path);
            }
        }
    }
}
