using System.Text.Json.Nodes;
using Studio.Sandbox.Storage;

namespace Studio.Sandbox.Api;

/// <summary>A parsed label selector: <c>a=b,c==d,e!=f,g in (x,y),h notin (z),i,!j</c>.</summary>
internal sealed class LabelSelector
{
    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public bool IsEmpty => _requirements.Count == 0;

    public static LabelSelector Parse(string? text)
    {
        var reqs = new List<Requirement>();
        if (string.IsNullOrWhiteSpace(text))
        {
            return new LabelSelector(reqs);
        }

        foreach (var raw in SplitTopLevel(text))
        {
            var part = raw.Trim();
            if (part.Length == 0)
            {
                continue;
            }

            if (part.StartsWith('!'))
            {
                reqs.Add(new Requirement(CheckKey(part[1..].Trim()), Op.NotExists, []));
                continue;
            }

            var sp = part.IndexOf(' ', StringComparison.Ordinal);
            var paren = part.IndexOf('(', StringComparison.Ordinal);
            if (paren > 0 && sp > 0 && sp < paren)
            {
                var key = CheckKey(part[..sp].Trim());
                var rest = part[sp..].Trim();
                Op op;
                if (rest.StartsWith("notin", StringComparison.Ordinal))
                {
                    op = Op.NotIn;
                    rest = rest[5..].Trim();
                }
                else if (rest.StartsWith("in", StringComparison.Ordinal))
                {
                    op = Op.In;
                    rest = rest[2..].Trim();
                }
                else
                {
                    throw ApiException.BadRequest($"unable to parse requirement: {part}");
                }

                if (!rest.StartsWith('(') || !rest.EndsWith(')'))
                {
                    throw ApiException.BadRequest($"unable to parse requirement: found '{rest}', expected: '('");
                }

                var values = rest[1..^1].Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToArray();
                reqs.Add(new Requirement(key, op, values));
                continue;
            }

            var idx = part.IndexOf("!=", StringComparison.Ordinal);
            if (idx > 0)
            {
                reqs.Add(new Requirement(CheckKey(part[..idx].Trim()), Op.NotEquals, [part[(idx + 2)..].Trim()]));
                continue;
            }

            idx = part.IndexOf("==", StringComparison.Ordinal);
            if (idx > 0)
            {
                reqs.Add(new Requirement(CheckKey(part[..idx].Trim()), Op.Equals, [part[(idx + 2)..].Trim()]));
                continue;
            }

            idx = part.IndexOf('=', StringComparison.Ordinal);
            if (idx > 0)
            {
                reqs.Add(new Requirement(CheckKey(part[..idx].Trim()), Op.Equals, [part[(idx + 1)..].Trim()]));
                continue;
            }

            reqs.Add(new Requirement(CheckKey(part), Op.Exists, []));
        }

        return new LabelSelector(reqs);
    }

    /// <summary>Builds a selector from a <c>LabelSelector</c> object (<c>matchLabels</c>, <c>matchExpressions</c>).</summary>
    public static LabelSelector FromObject(JsonObject? selector)
    {
        var reqs = new List<Requirement>();
        if (selector?["matchLabels"] is JsonObject ml)
        {
            reqs.AddRange(ml.Select(kv => new Requirement(kv.Key, Op.Equals, [kv.Value?.ToString() ?? ""])));
        }

        if (selector?["matchExpressions"] is JsonArray me)
        {
            foreach (var e in me.OfType<JsonObject>())
            {
                var values = (e["values"] as JsonArray)?.Select(v => v?.ToString() ?? "").ToArray() ?? [];
                var op = (string?)e["operator"] switch
                {
                    "In" => Op.In,
                    "NotIn" => Op.NotIn,
                    "Exists" => Op.Exists,
                    _ => Op.NotExists,
                };
                reqs.Add(new Requirement((string?)e["key"] ?? "", op, values));
            }
        }

        return new LabelSelector(reqs);
    }

    public bool Matches(StoredObject o) => Matches(o.Label);

    public bool Matches(JsonObject? labels) => Matches(k => labels?[k]?.ToString());

    public bool Matches(Func<string, string?> label)
    {
        foreach (var r in _requirements)
        {
            var v = label(r.Key);
            var ok = r.Op switch
            {
                Op.Equals => v is not null && v == r.Values[0],
                Op.NotEquals => v is null || v != r.Values[0],
                Op.In => v is not null && r.Values.Contains(v),
                Op.NotIn => v is null || !r.Values.Contains(v),
                Op.Exists => v is not null,
                _ => v is null,
            };
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() => string.Join(",", _requirements.Select(r => r.Op switch
    {
        Op.Equals => r.Key + "=" + r.Values[0],
        Op.NotEquals => r.Key + "!=" + r.Values[0],
        Op.In => r.Key + " in (" + string.Join(",", r.Values) + ")",
        Op.NotIn => r.Key + " notin (" + string.Join(",", r.Values) + ")",
        Op.Exists => r.Key,
        _ => "!" + r.Key,
    }));

    private static string CheckKey(string key)
    {
        if (key.Length == 0 || key.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/')))
        {
            throw ApiException.BadRequest($"unable to parse requirement: invalid label key \"{key}\"");
        }

        return key;
    }

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private enum Op
    {
        Equals,
        NotEquals,
        In,
        NotIn,
        Exists,
        NotExists,
    }

    private sealed record Requirement(string Key, Op Op, string[] Values);
}
