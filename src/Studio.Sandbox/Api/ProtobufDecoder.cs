using System.Text;
using System.Text.Json.Nodes;

namespace Studio.Sandbox.Api;

/// <summary>
/// Decodes the Kubernetes protobuf envelope (<c>k8s\0</c> + <c>runtime.Unknown</c>) for the few simple kinds that
/// kubectl's <c>create namespace|configmap|secret|serviceaccount</c> generators send as protobuf. Other kinds are refused with 415.
/// </summary>
internal static class ProtobufDecoder
{
    private static readonly byte[] Magic = "k8s\0"u8.ToArray();

    public static JsonObject Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4 || !body[..4].SequenceEqual(Magic))
        {
            throw Unsupported("the protobuf body has no Kubernetes envelope");
        }

        string? apiVersion = null, kind = null;
        var raw = ReadOnlySpan<byte>.Empty;
        var reader = new Reader(body[4..].ToArray());
        while (reader.Next(out var field, out var value))
        {
            if (field == 1)
            {
                var tm = new Reader(value);
                while (tm.Next(out var f, out var v))
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
            }
            else if (field == 2)
            {
                raw = value;
            }
        }

        var obj = new JsonObject { ["apiVersion"] = apiVersion, ["kind"] = kind };
        var r = new Reader(raw.ToArray());
        switch (kind)
        {
            case "Namespace":
                while (r.Next(out var f, out var v))
                {
                    if (f == 1)
                    {
                        obj["metadata"] = ObjectMeta(v);
                    }
                    else if (f == 2)
                    {
                        var spec = new JsonObject();
                        var finalizers = Strings(v, 1);
                        if (finalizers.Count > 0)
                        {
                            spec["finalizers"] = finalizers;
                        }

                        obj["spec"] = spec;
                    }
                }

                break;
            case "ConfigMap":
            case "Secret":
                var isSecret = kind == "Secret";
                while (r.Next(out var f, out var v))
                {
                    switch (f)
                    {
                        case 1:
                            obj["metadata"] = ObjectMeta(v);
                            break;
                        case 2:
                            AddMapEntry(obj, "data", v, isSecret ? Base64 : Utf8);
                            break;
                        case 3 when isSecret:
                            if (v.Length > 0)
                            {
                                obj["type"] = Encoding.UTF8.GetString(v);
                            }

                            break;
                        case 3:
                            AddMapEntry(obj, "binaryData", v, Base64);
                            break;
                        case 4 when isSecret:
                            AddMapEntry(obj, "stringData", v, Utf8);
                            break;
                        case 4:
                        case 5:
                            obj["immutable"] = r.LastVarint != 0;
                            break;
                    }
                }

                break;
            case "ServiceAccount":
                while (r.Next(out var f, out var v))
                {
                    if (f == 1)
                    {
                        obj["metadata"] = ObjectMeta(v);
                    }
                    else if (f == 4)
                    {
                        obj["automountServiceAccountToken"] = r.LastVarint != 0;
                    }
                }

                break;
            default:
                throw Unsupported($"protobuf request bodies are supported only for Namespace, ConfigMap, Secret and ServiceAccount, not {kind}; use kubectl apply (JSON)");
        }

        obj["metadata"] ??= new JsonObject();
        return obj;
    }

    private static ApiException Unsupported(string message) => new(415, "UnsupportedMediaType", message);

    private static string Utf8(byte[] b) => Encoding.UTF8.GetString(b);

    private static string Base64(byte[] b) => Convert.ToBase64String(b);

    private static void AddMapEntry(JsonObject obj, string field, byte[] entry, Func<byte[], string> value)
    {
        var map = obj[field] as JsonObject ?? [];
        obj[field] = map;
        var (k, v) = Entry(entry);
        map[k] = value(v);
    }

    private static (string Key, byte[] Value) Entry(byte[] entry)
    {
        var r = new Reader(entry);
        string key = "";
        byte[] value = [];
        while (r.Next(out var f, out var v))
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

    private static JsonArray Strings(byte[] message, int field)
    {
        var list = new JsonArray();
        var r = new Reader(message);
        while (r.Next(out var f, out var v))
        {
            if (f == field)
            {
                list.Add(Encoding.UTF8.GetString(v));
            }
        }

        return list;
    }

    private static JsonObject ObjectMeta(byte[] message)
    {
        var meta = new JsonObject();
        var r = new Reader(message);
        while (r.Next(out var f, out var v))
        {
            if (v.Length == 0 && f is 1 or 2 or 3)
            {
                continue;
            }

            switch (f)
            {
                case 1:
                    meta["name"] = Encoding.UTF8.GetString(v);
                    break;
                case 2:
                    meta["generateName"] = Encoding.UTF8.GetString(v);
                    break;
                case 3:
                    meta["namespace"] = Encoding.UTF8.GetString(v);
                    break;
                case 11:
                    AddMapEntry(meta, "labels", v, Utf8);
                    break;
                case 12:
                    AddMapEntry(meta, "annotations", v, Utf8);
                    break;
                case 14:
                    var finalizers = meta["finalizers"] as JsonArray ?? [];
                    meta["finalizers"] = finalizers;
                    finalizers.Add(Encoding.UTF8.GetString(v));
                    break;
            }
        }

        return meta;
    }

    /// <summary>Minimal protobuf wire-format reader: varints and length-delimited fields (others are skipped).</summary>
    private sealed class Reader(byte[] data)
    {
        private int _pos;

        public ulong LastVarint { get; private set; }

        public bool Next(out int field, out byte[] value)
        {
            value = [];
            field = 0;
            if (_pos >= data.Length)
            {
                return false;
            }

            var tag = Varint();
            field = (int)(tag >> 3);
            switch (tag & 7)
            {
                case 0:
                    LastVarint = Varint();
                    break;
                case 1:
                    _pos += 8;
                    break;
                case 2:
                    var len = (int)Varint();
                    if (len < 0 || _pos + len > data.Length)
                    {
                        throw ApiException.BadRequest("malformed protobuf body");
                    }

                    value = data[_pos..(_pos + len)];
                    _pos += len;
                    break;
                case 5:
                    _pos += 4;
                    break;
                default:
                    throw ApiException.BadRequest("malformed protobuf body");
            }

            return true;
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
