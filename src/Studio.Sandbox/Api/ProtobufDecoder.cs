using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Studio.Sandbox.Api;

/// <summary>
/// Decodes Kubernetes protobuf request bodies (what kubectl's <c>create</c> generators and typed clients send): the
/// <c>k8s\0</c> + <c>runtime.Unknown</c> envelope, then the object by the field-number table of <see cref="ProtobufSchema"/>,
/// into the JSON the same object has. A field the table does not know is refused with 415 naming it (never dropped).
/// </summary>
internal static partial class ProtobufDecoder
{
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();
    private static readonly Lazy<Dictionary<string, Dictionary<int, FieldDef>>> LazyMessages = new(() => ParseTable(ProtobufSchema.Table));

    /// <summary>One field of a message: JSON name, type (scalar code or message name), and how it is carried.</summary>
    internal sealed record FieldDef(string Name, string Type, bool Repeated, bool Map, bool KeepZero, bool Inline);

    internal static Dictionary<string, Dictionary<int, FieldDef>> Messages => LazyMessages.Value;

    private static readonly HashSet<string> Scalars = new(StringComparer.Ordinal) { "s", "i", "b", "y", "Time", "Quantity", "IntOrString", "Raw" };

    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4 || !body[..4].SequenceEqual(Magic))
        {
            throw Unsupported("the protobuf body has no Kubernetes envelope");
        }

        string? apiVersion = null, kind = null, encoding = null;
        var raw = Array.Empty<byte>();
        var envelope = new Reader(body[4..].ToArray());
        while (envelope.Next(out var field, out _, out var value, out _))
        {
            switch (field)
            {
                case 1:
                    var typeMeta = new Reader(value);
                    while (typeMeta.Next(out var f, out _, out var v, out _))
                    {
                        if (f == 1)
                        {
                            apiVersion = Encoding.UTF8.GetString(v);
                        }
                        else if (f == 2)
                        {
                            kind = Encoding.UTF8.GetString(v);
                        }
                    }

                    break;
                case 2:
                    raw = value;
                    break;
                case 3:
                    encoding = Encoding.UTF8.GetString(value);
                    break;
            }
        }

        if (!string.IsNullOrEmpty(encoding))
        {
            throw Unsupported($"protobuf bodies with content encoding \"{encoding}\" are not supported");
        }

        var root = ProtobufSchema.RootMessage(apiVersion, kind);
        if (!Messages.ContainsKey(root))
        {
            throw Unsupported($"protobuf request bodies are not supported for {kind} ({apiVersion}); send it as JSON (kubectl apply)");
        }

        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        DecodeInto(obj, root, raw, kind ?? "");
        obj["metadata"] ??= new JsonObject();
        return obj;
    }

    private static void DecodeInto(JsonObject target, string message, byte[] data, string path)
    {
        var fields = Messages[message];
        var r = new Reader(data);
        while (r.Next(out var number, out var wire, out var bytes, out var varint))
        {
            if (!fields.TryGetValue(number, out var f))
            {
                throw Unsupported($"field {number} of {message} (in {path}) is not supported by the sandbox's protobuf decoder; send the object as JSON (kubectl apply)");
            }

            var at = path + "." + f.Name;
            if (f.Inline)
            {
                DecodeInto(target, f.Type, bytes, at);
            }
            else if (f.Map)
            {
                var (key, entry) = MapEntry(bytes);
                var map = target[f.Name] as JsonObject ?? [];
                target[f.Name] = map;
                map[key] = f.Type switch
                {
                    "s" => Encoding.UTF8.GetString(entry),
                    "y" => Convert.ToBase64String(entry),
                    _ => Value(f.Type, 2, entry, 0, at, keepZero: true),
                };
            }
            else if (f.Repeated)
            {
                var list = target[f.Name] as JsonArray ?? [];
                target[f.Name] = list;
                if (wire == 2 && f.Type is "i" or "b")
                {
                    // A packed repeated scalar.
                    var packed = new Reader(bytes);
                    while (packed.NextVarint(out var item))
                    {
                        list.Add(f.Type == "b" ? JsonValue.Create(item != 0) : JsonValue.Create((long)item));
                    }
                }
                else
                {
                    list.Add(Value(f.Type, wire, bytes, varint, at, keepZero: true));
                }
            }
            else if (Value(f.Type, wire, bytes, varint, at, f.KeepZero) is { } value)
            {
                target[f.Name] = value;
            }
        }
    }

    /// <summary>The JSON value of one field; null when it is a zero value Go's JSON encoding would omit.</summary>
    private static JsonNode? Value(string type, int wire, byte[] bytes, ulong varint, string path, bool keepZero)
    {
        switch (type)
        {
            case "s":
                return bytes.Length > 0 || keepZero ? JsonValue.Create(Encoding.UTF8.GetString(bytes)) : null;
            case "i":
                return varint != 0 || keepZero ? JsonValue.Create((long)varint) : null;
            case "b":
                return varint != 0 || keepZero ? JsonValue.Create(varint != 0) : null;
            case "y":
                return JsonValue.Create(Convert.ToBase64String(bytes));
            case "Time":
                return Time(bytes);
            case "Quantity":
                return JsonValue.Create(StringField(bytes, 1));
            case "IntOrString":
                return IntOrString(bytes);
            case "Raw":
                var rawJson = BytesField(bytes, 1);
                return rawJson.Length == 0 ? null : JsonNode.Parse(rawJson);
            default:
                if (wire != 2)
                {
                    throw ApiException.BadRequest($"malformed protobuf body: {path} is not a message");
                }

                var obj = new JsonObject();
                DecodeInto(obj, type, bytes, path);
                return obj;
        }
    }

    private static JsonValue? Time(byte[] message)
    {
        long seconds = 0;
        var any = false;
        var r = new Reader(message);
        while (r.Next(out var f, out _, out _, out var v))
        {
            any = true;
            if (f == 1)
            {
                seconds = (long)v;
            }
        }

        return any ? JsonValue.Create(DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)) : null;
    }

    private static JsonValue IntOrString(byte[] message)
    {
        ulong type = 0, intVal = 0;
        var strVal = "";
        var r = new Reader(message);
        while (r.Next(out var f, out _, out var b, out var v))
        {
            switch (f)
            {
                case 1:
                    type = v;
                    break;
                case 2:
                    intVal = v;
                    break;
                case 3:
                    strVal = Encoding.UTF8.GetString(b);
                    break;
            }
        }

        return type == 1 ? JsonValue.Create(strVal) : JsonValue.Create((int)(long)intVal);
    }

    private static (string Key, byte[] Value) MapEntry(byte[] entry)
    {
        var key = "";
        byte[] value = [];
        var r = new Reader(entry);
        while (r.Next(out var f, out _, out var v, out _))
        {
            if (f == 1)
            {
                key = Encoding.UTF8.GetString(v);
            }
            else if (f == 2)
            {
                value = v;
            }
        }

        return (key, value);
    }

    private static byte[] BytesField(byte[] message, int field)
    {
        var r = new Reader(message);
        while (r.Next(out var f, out _, out var v, out _))
        {
            if (f == field)
            {
                return v;
            }
        }

        return [];
    }

    private static string StringField(byte[] message, int field) => Encoding.UTF8.GetString(BytesField(message, field));

    private static ApiException Unsupported(string message) => new(415, "UnsupportedMediaType", message);

    /// <summary>Parses <see cref="ProtobufSchema.Table"/>.</summary>
    internal static Dictionary<string, Dictionary<int, FieldDef>> ParseTable(string table)
    {
        var messages = new Dictionary<string, Dictionary<int, FieldDef>>(StringComparer.Ordinal);
        foreach (Match m in MessageLine().Matches(table))
        {
            var fields = new Dictionary<int, FieldDef>();
            foreach (var def in m.Groups[2].Value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var parts = def.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var type = parts[2];
                var keepZero = type.EndsWith('?');
                type = type.TrimEnd('?');
                var repeated = type.StartsWith('[');
                var map = type.StartsWith('{');
                type = type.Trim('[', ']', '{', '}');
                var inline = parts[1].StartsWith('@');
                fields.Add(int.Parse(parts[0], CultureInfo.InvariantCulture), new FieldDef(parts[1].TrimStart('@'), type, repeated, map, keepZero, inline));
            }

            messages.Add(m.Groups[1].Value, fields);
        }

        return messages;
    }

    /// <summary>Message types the table refers to but does not define (empty when the table is complete).</summary>
    internal static IEnumerable<string> UndefinedMessages() =>
        Messages.Values.SelectMany(f => f.Values).Select(f => f.Type).Where(t => !Scalars.Contains(t) && !Messages.ContainsKey(t)).Distinct();

    [GeneratedRegex(@"(\w+):([^:]*?)(?=\n\s*\w+:|\s*\z)", RegexOptions.Singleline)]
    private static partial Regex MessageLine();

    /// <summary>Minimal protobuf wire-format reader: varints, length-delimited and fixed-size fields.</summary>
    private sealed class Reader(byte[] data)
    {
        private int _pos;

        public bool Next(out int field, out int wire, out byte[] bytes, out ulong varint)
        {
            bytes = [];
            varint = 0;
            field = 0;
            wire = 0;
            if (_pos >= data.Length)
            {
                return false;
            }

            var tag = Varint();
            field = (int)(tag >> 3);
            wire = (int)(tag & 7);
            switch (wire)
            {
                case 0:
                    varint = Varint();
                    break;
                case 1:
                    Skip(8);
                    break;
                case 2:
                    var len = Varint();
                    if (len > (ulong)(data.Length - _pos))
                    {
                        throw ApiException.BadRequest("malformed protobuf body");
                    }

                    bytes = data[_pos..(_pos + (int)len)];
                    _pos += (int)len;
                    break;
                case 5:
                    Skip(4);
                    break;
                default:
                    throw ApiException.BadRequest("malformed protobuf body");
            }

            return true;
        }

        public bool NextVarint(out ulong value)
        {
            value = 0;
            if (_pos >= data.Length)
            {
                return false;
            }

            value = Varint();
            return true;
        }

        private void Skip(int n)
        {
            if (n > data.Length - _pos)
            {
                throw ApiException.BadRequest("malformed protobuf body");
            }

            _pos += n;
        }

        private ulong Varint()
        {
            ulong result = 0;
            for (var shift = 0; shift < 64; shift += 7)
            {
                if (_pos >= data.Length)
                {
                    throw ApiException.BadRequest("malformed protobuf body");
                }

                var b = data[_pos++];
                result |= (ulong)(b & 0x7f) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }

            throw ApiException.BadRequest("malformed protobuf body");
        }
    }
}
