using System.Text;

namespace Studio.Sandbox.Storage;

/// <summary>One committed change: the new version (or the last version, for DELETED) and the version it replaced.</summary>
internal sealed class StoreEvent
{
    private byte[]? _line;

    public StoreEvent(string type, StoredObject obj, StoredObject? previous)
    {
        Type = type;
        Object = obj;
        Previous = previous;
    }

    public string Type { get; }
    public StoredObject Object { get; }
    public StoredObject? Previous { get; }
    public long ResourceVersion => Object.ResourceVersion;

    /// <summary>The JSON watch line for this event, built once and shared by every watcher.</summary>
    public byte[] Line => _line ??= BuildLine(Type, Object.Json);

    public static byte[] BuildLine(string type, ReadOnlySpan<byte> objectJson)
    {
        var prefix = Encoding.UTF8.GetBytes("{\"type\":\"" + type + "\",\"object\":");
        var line = new byte[prefix.Length + objectJson.Length + 2];
        prefix.CopyTo(line, 0);
        objectJson.CopyTo(line.AsSpan(prefix.Length));
        line[^2] = (byte)'}';
        line[^1] = (byte)'\n';
        return line;
    }
}
