namespace Studio.Sandbox.Simulation;

/// <summary>Generated name suffixes and hashes in the alphabet Kubernetes uses (no vowels, no look-alikes).</summary>
internal static class Names
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Suffix(int length = 5)
    {
        Span<char> s = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            s[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        }

        return new string(s);
    }

    /// <summary>A stable 10-character hash (pod-template-hash style) of a text.</summary>
    public static string Hash(string text, int length = 10)
    {
        var h = 14695981039346656037UL;
        foreach (var ch in text)
        {
            h = (h ^ ch) * 1099511628211UL;
        }

        Span<char> s = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            s[i] = Alphabet[(int)(h % (ulong)Alphabet.Length)];
            h /= (ulong)Alphabet.Length;
            if (h == 0)
            {
                h = 0x9E3779B97F4A7C15UL ^ (ulong)i;
            }
        }

        return new string(s);
    }

    /// <summary>A deterministic 0..1 value for a seed, for plausible simulated numbers.</summary>
    public static double Unit(string seed) => Fnv(seed) % 1_000_000 / 1_000_000d;

    public static long Fnv(string text)
    {
        var h = 14695981039346656037UL;
        foreach (var ch in text)
        {
            h = (h ^ ch) * 1099511628211UL;
        }

        return (long)(h & 0x7FFFFFFFFFFFFFFF);
    }
}
