using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Writes Kubernetes objects as YAML from their JSON form — the same document <c>kubectl get -o yaml</c> prints, about a
/// hundred times cheaper than the reflection-based serializer (a submit writes its manifests into the record).
/// </summary>
public static class ManifestYaml
{
    public static string Write(object body)
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(body));
        var y = new StringBuilder(2048);
        WriteMapping(y, node as JsonObject ?? [], 0);
        return y.ToString();
    }

    private static void WriteMapping(StringBuilder y, JsonObject map, int indent, bool firstInline = false)
    {
        var first = true;
        foreach (var (key, value) in map)
        {
            if (value is null)
            {
                continue;
            }

            if (!(first && firstInline))
            {
                y.Append(' ', indent);
            }

            first = false;
            y.Append(Scalar(key)).Append(':');
            WriteValue(y, value, indent);
        }

        if (first && firstInline)
        {
            y.Append("{}\n");
        }
    }

    private static void WriteValue(StringBuilder y, JsonNode value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: 0 }:
                y.Append(" {}\n");
                break;
            case JsonObject child:
                y.Append('\n');
                WriteMapping(y, child, indent + 2);
                break;
            case JsonArray { Count: 0 }:
                y.Append(" []\n");
                break;
            case JsonArray list:
                y.Append('\n');
                foreach (var item in list)
                {
                    y.Append(' ', indent).Append("- ");
                    switch (item)
                    {
                        case JsonObject o:
                            WriteMapping(y, o, indent + 2, firstInline: true);
                            break;
                        case JsonArray:
                            y.Append(item.ToJsonString()).Append('\n');
                            break;
                        default:
                            y.Append(ScalarValue(item, indent + 2)).Append('\n');
                            break;
                    }
                }

                break;
            default:
                y.Append(' ').Append(ScalarValue(value, indent + 2)).Append('\n');
                break;
        }
    }

    private static string ScalarValue(JsonNode? node, int indent)
    {
        if (node is null)
        {
            return "null";
        }

        return node.GetValueKind() switch
        {
            JsonValueKind.String => Text(node.GetValue<string>(), indent),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => node.ToJsonString(),
        };
    }

    private static string Text(string s, int indent)
    {
        if (s.Contains('\n', StringComparison.Ordinal))
        {
            var b = new StringBuilder(s.EndsWith('\n') ? "|\n" : "|-\n");
            var lines = s.TrimEnd('\n').Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                b.Append(' ', indent).Append(lines[i]);
                if (i < lines.Length - 1)
                {
                    b.Append('\n');
                }
            }

            return b.ToString();
        }

        return Scalar(s);
    }

    private static string Scalar(string s)
    {
        var plain = s.Length > 0
            && !char.IsWhiteSpace(s[0]) && !char.IsWhiteSpace(s[^1])
            && "-?:,[]{}#&*!|>'\"%@`".IndexOf(s[0], StringComparison.Ordinal) < 0
            && !s.Contains(": ", StringComparison.Ordinal) && !s.Contains(" #", StringComparison.Ordinal) && !s.EndsWith(':')
            && s.All(c => c >= ' ' && c != '\u007f')
            && !LooksLikeAnotherType(s);
        return plain ? s : JsonSerializer.Serialize(s);
    }

    private static bool LooksLikeAnotherType(string s) =>
        s is "true" or "false" or "True" or "False" or "TRUE" or "FALSE" or "yes" or "no" or "Yes" or "No" or "on" or "off" or "On" or "Off" or "null" or "Null" or "NULL" or "~" or "y" or "n"
        || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        || s.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || s.StartsWith("0o", StringComparison.OrdinalIgnoreCase)
        || s is ".inf" or "-.inf" or ".nan" or ".NaN";
}
