using System.Text;

namespace Studio.Live.Bench;

/// <summary>
/// The SignalR hub protocol's framing, without deserializing: JSON messages end with the record separator 0x1E,
/// MessagePack messages start with their length as a 7-bit varint. Plus two cheap looks at a message's first bytes: its
/// type (1 invocation, 3 completion, 6 ping, 7 close) and whether an <c>Update</c> carries <c>IsSnapshot = true</c>.
/// </summary>
internal static class HubFrames
{
    private const byte Separator = 0x1E;
    private static readonly byte[] JsonSnapshotTrue = Encoding.ASCII.GetBytes("\"isSnapshot\":true");
    private static readonly byte[] JsonSnapshotFalse = Encoding.ASCII.GetBytes("\"isSnapshot\":false");

    // MessagePack (contractless resolver, as the hub serializes LiveUpdate): fixstr "IsSnapshot" then true/false.
    private static readonly byte[] PackSnapshotTrue = [0xAA, .. Encoding.ASCII.GetBytes("IsSnapshot"), 0xC3];
    private static readonly byte[] PackSnapshotFalse = [0xAA, .. Encoding.ASCII.GetBytes("IsSnapshot"), 0xC2];

    /// <summary>
    /// The next whole message in <paramref name="buffer"/>: where its body starts, how long it is (without framing) and
    /// how many bytes it takes with its framing; false if the buffer holds only part of it.
    /// </summary>
    public static bool TryNext(ReadOnlySpan<byte> buffer, bool json, out int bodyStart, out int bodyLength, out int consumed)
    {
        bodyStart = bodyLength = consumed = 0;
        if (json)
        {
            var end = buffer.IndexOf(Separator);
            if (end < 0)
            {
                return false;
            }

            bodyLength = end;
            consumed = end + 1;
            return true;
        }

        var length = 0;
        for (var i = 0; i < Math.Min(5, buffer.Length); i++)
        {
            length |= (buffer[i] & 0x7F) << (7 * i);
            if ((buffer[i] & 0x80) == 0)
            {
                bodyStart = i + 1;
                if (buffer.Length - bodyStart < length)
                {
                    return false;
                }

                bodyLength = length;
                consumed = bodyStart + length;
                return true;
            }
        }

        if (buffer.Length >= 5)
        {
            throw new InvalidDataException("MessagePack message length prefix longer than 5 bytes.");
        }

        return false;
    }

    /// <summary>The hub message type of a message body (no framing), or -1 if it cannot be told.</summary>
    public static int Type(ReadOnlySpan<byte> body, bool json)
    {
        if (!json)
        {
            // fixarray header, then the type as a positive fixint.
            return body.Length >= 2 && (body[0] & 0xF0) == 0x90 && body[1] < 0x80 ? body[1] : -1;
        }

        ReadOnlySpan<byte> prefix = "{\"type\":"u8;
        if (body.StartsWith(prefix) && body.Length > prefix.Length && char.IsAsciiDigit((char)body[prefix.Length]))
        {
            var end = prefix.Length;
            var type = 0;
            while (end < body.Length && char.IsAsciiDigit((char)body[end]))
            {
                type = (type * 10) + body[end++] - '0';
            }

            return type;
        }

        return -1;
    }

    /// <summary>
    /// Whether an <c>Update</c> says it is a snapshot: the flag comes right after the scope, so it is looked for in the first
    /// 256 bytes only. Null if neither value is found there (the reference clients count such messages).
    /// </summary>
    public static bool? IsSnapshot(ReadOnlySpan<byte> body, bool json)
    {
        var head = body[..Math.Min(256, body.Length)];
        var (yes, no) = json ? (JsonSnapshotTrue, JsonSnapshotFalse) : (PackSnapshotTrue, PackSnapshotFalse);
        var trueAt = head.IndexOf(yes);
        var falseAt = head.IndexOf(no);
        return (trueAt, falseAt) switch
        {
            ( < 0, < 0) => null,
            ( >= 0, < 0) => true,
            ( < 0, >= 0) => false,
            _ => trueAt < falseAt,
        };
    }
}
