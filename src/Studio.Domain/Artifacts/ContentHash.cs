using System.Globalization;
using Studio.Domain.Common;

namespace Studio.Domain.Artifacts;

/// <summary>A SHA-256 content address, written <c>sha256:&lt;64 lower-case hex digits&gt;</c>.</summary>
public readonly record struct ContentHash
{
    public const string Prefix = "sha256:";

    private ContentHash(string hex) => Hex = hex;

    /// <summary>The 64 lower-case hex digits.</summary>
    public string Hex { get; }

    public static ContentHash FromBytes(ReadOnlySpan<byte> sha256)
    {
        if (sha256.Length != 32)
        {
            throw new ArgumentException("A SHA-256 hash is 32 bytes.", nameof(sha256));
        }

        return new ContentHash(Convert.ToHexStringLower(sha256));
    }

    /// <summary>Reads <c>sha256:HEX</c> (or the bare hex digits).</summary>
    public static Result<ContentHash> Parse(string? text, string field = "hash")
    {
        var hex = text?.Trim() ?? string.Empty;
        if (hex.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[Prefix.Length..];
        }

        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit)
            ? new ContentHash(hex.ToLower(CultureInfo.InvariantCulture))
            : Error.Validation(field, $"'{text}' is not a content hash (sha256: followed by 64 hex digits).");
    }

    /// <summary>The first 12 digits, for display.</summary>
    public string Short => Hex[..12];

    public override string ToString() => Prefix + Hex;
}
