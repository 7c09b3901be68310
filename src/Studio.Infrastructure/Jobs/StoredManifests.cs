using System.Globalization;
using System.Text.Json.Nodes;
using Studio.Infrastructure.Kubernetes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Studio.Infrastructure.Jobs;

/// <summary>
/// Reads back the objects a job record keeps (<see cref="JobManifests.ToYaml"/>, written by <see cref="ManifestYaml"/>),
/// so a job whose apply was lost (a stop or crash before it ran) is applied with exactly what was submitted. Plain
/// scalars are typed as YAML 1.2 reads them (the writer quotes every string that would read as another type).
/// </summary>
public static class StoredManifests
{
    public static IReadOnlyList<ManifestObject> Read(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml))
        {
            stream.Load(reader);
        }

        var objects = new List<ManifestObject>();
        foreach (var document in stream.Documents)
        {
            if (ToJson(document.RootNode) is not JsonObject body)
            {
                continue;
            }

            var metadata = body["metadata"] as JsonObject;
            objects.Add(new ManifestObject(
                (string?)body["apiVersion"] ?? string.Empty,
                (string?)body["kind"] ?? string.Empty,
                (string?)metadata?["namespace"],
                (string?)metadata?["name"] ?? string.Empty,
                body));
        }

        return objects;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? string.Empty, ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode scalar when scalar.Style != ScalarStyle.Plain => JsonValue.Create(scalar.Value ?? string.Empty),
        YamlScalarNode scalar => Plain(scalar.Value ?? string.Empty),
        _ => null,
    };

    private static JsonNode? Plain(string s)
    {
        if (s is "null" or "Null" or "NULL" or "~" or "")
        {
            return null;
        }

        if (s is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return JsonValue.Create(s.Equals("true", StringComparison.OrdinalIgnoreCase));
        }

        if (long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? JsonValue.Create(number) : JsonValue.Create(s);
    }
}
