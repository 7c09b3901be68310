using System.Buffers;
using MessagePack;

namespace Studio.Pages.Bench;

/// <summary>
/// The SignalR MessagePack hub protocol as Blazor Server speaks it under the name <c>blazorpack</c>: each message is a
/// MessagePack array prefixed with its length (a LEB128 varint). Only what a Blazor client needs: invocations and
/// completions in, invocations and pings out. Arguments are read as plain values (integers as <see cref="long"/>,
/// strings, booleans, nil); binary arguments (the render batch) as their position in the frame, not copied.
/// </summary>
internal static class BlazorPack
{
    public const int Invocation = 1;
    public const int Completion = 3;
    public const int Ping = 6;
    public const int Close = 7;

    /// <summary>The handshake a blazor.web.js client sends: JSON, ended by 0x1E, whatever the protocol.</summary>
    public static readonly byte[] Handshake = "{\"protocol\":\"blazorpack\",\"version\":1}\u001e"u8.ToArray();

    /// <summary>A ping message, framed.</summary>
    public static readonly byte[] PingMessage = Frame((ref w) =>
    {
        w.WriteArrayHeader(1);
        w.Write(Ping);
    });

    /// <summary>Splits off the next complete message: its body's start and length inside <paramref name="buffer"/>.</summary>
    public static bool TryNext(ReadOnlySpan<byte> buffer, out int bodyStart, out int bodyLength)
    {
        bodyStart = 0;
        bodyLength = 0;
        var length = 0;
        for (var i = 0; i < Math.Min(5, buffer.Length); i++)
        {
            var b = buffer[i];
            length |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0)
            {
                if (buffer.Length - (i + 1) < length)
                {
                    return false;
                }

                bodyStart = i + 1;
                bodyLength = length;
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads an invocation, completion, ping or close message (the body without its length prefix).</summary>
    public static HubIn Read(ReadOnlyMemory<byte> body)
    {
        var reader = new MessagePackReader(body);
        var count = reader.ReadArrayHeader();
        var type = reader.ReadInt32();
        switch (type)
        {
            case Invocation:
            {
                SkipHeaders(ref reader);
                var id = reader.TryReadNil() ? null : reader.ReadString();
                var target = reader.ReadString() ?? string.Empty;
                var argCount = reader.ReadArrayHeader();
                var args = new object?[argCount];
                for (var i = 0; i < argCount; i++)
                {
                    args[i] = ReadValue(ref reader, body);
                }

                return new HubIn(type, target, id, args, null);
            }

            case Completion:
            {
                SkipHeaders(ref reader);
                var id = reader.ReadString();
                var kind = reader.ReadInt32(); // 1 error, 2 void, 3 result
                var value = kind == 2 ? null : ReadValue(ref reader, body);
                return new HubIn(type, kind == 1 ? "error" : "result", id, [value], kind == 1 ? value as string : null);
            }

            case Close:
                return new HubIn(type, "close", null, [], count > 1 && !reader.TryReadNil() ? reader.ReadString() : null);
            default:
                return new HubIn(type, string.Empty, null, [], null);
        }
    }

    /// <summary>An invocation (no result expected unless <paramref name="invocationId"/> is given), framed.</summary>
    public static byte[] Invoke(string target, string? invocationId, params object?[] args) => Frame((ref w) =>
    {
        w.WriteArrayHeader(5);
        w.Write(Invocation);
        w.WriteMapHeader(0);
        if (invocationId is null)
        {
            w.WriteNil();
        }
        else
        {
            w.Write(invocationId);
        }

        w.Write(target);
        w.WriteArrayHeader(args.Length);
        foreach (var arg in args)
        {
            switch (arg)
            {
                case null:
                    w.WriteNil();
                    break;
                case string s:
                    w.Write(s);
                    break;
                case long l:
                    w.Write(l);
                    break;
                case int i:
                    w.Write(i);
                    break;
                case bool b:
                    w.Write(b);
                    break;
                default:
                    throw new ArgumentException($"Unsupported argument type {arg.GetType().Name}");
            }
        }
    });

    private delegate void Write(ref MessagePackWriter writer);

    private static byte[] Frame(Write write)
    {
        var body = new ArrayBufferWriter<byte>(64);
        var writer = new MessagePackWriter(body);
        write(ref writer);
        writer.Flush();
        var length = body.WrittenCount;
        var prefix = new List<byte>(5);
        do
        {
            var b = (byte)(length & 0x7F);
            length >>= 7;
            prefix.Add(length > 0 ? (byte)(b | 0x80) : b);
        }
        while (length > 0);

        return [.. prefix, .. body.WrittenSpan];
    }

    private static void SkipHeaders(ref MessagePackReader reader)
    {
        var headers = reader.ReadMapHeader();
        for (var i = 0; i < headers * 2; i++)
        {
            reader.Skip();
        }
    }

    private static object? ReadValue(ref MessagePackReader reader, ReadOnlyMemory<byte> body)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Integer:
                return reader.ReadInt64();
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.String:
                return reader.ReadString();
            case MessagePackType.Binary:
            {
                var bytes = reader.ReadBytes()!.Value;
                var end = (int)reader.Consumed;
                return new BinaryArg(end - (int)bytes.Length, (int)bytes.Length);
            }

            default:
                reader.Skip();
                return null;
        }
    }
}
