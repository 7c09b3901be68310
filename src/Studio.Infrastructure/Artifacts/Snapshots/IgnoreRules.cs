using System.Text;
using System.Text.RegularExpressions;

namespace Studio.Infrastructure.Artifacts.Snapshots;

/// <summary>
/// The patterns of an <c>.amlignore</c> or <c>.gitignore</c> file at the root of a code folder, as git reads them:
/// <c>#</c> comments, blank lines, <c>!</c> negation (the last matching pattern wins), a trailing <c>/</c> for folders
/// only, a <c>/</c> elsewhere anchors the pattern to the root, <c>*</c> and <c>?</c> within a segment, <c>**</c> across
/// segments. A file under an ignored folder is ignored.
/// </summary>
public sealed class IgnoreRules
{
    private readonly List<(Regex Pattern, bool Negated, bool FolderOnly)> _rules = [];

    /// <summary>The file Azure ML reads first; <c>.gitignore</c> applies only when there is none.</summary>
    public static readonly string[] FileNames = [".amlignore", ".gitignore"];

    public static IgnoreRules Parse(string? text)
    {
        var rules = new IgnoreRules();
        foreach (var raw in (text ?? string.Empty).Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            line = line.TrimEnd(' ');
            var negated = line.StartsWith('!');
            if (negated)
            {
                line = line[1..];
            }
            else if (line.StartsWith("\\#", StringComparison.Ordinal) || line.StartsWith("\\!", StringComparison.Ordinal))
            {
                line = line[1..];
            }

            var folderOnly = line.EndsWith('/');
            line = line.TrimEnd('/');
            if (line.Length == 0)
            {
                continue;
            }

            var anchored = line.Contains('/', StringComparison.Ordinal);
            line = line.TrimStart('/');
            var regex = new StringBuilder(anchored ? "^" : "^(?:.*/)?");
            for (var i = 0; i < line.Length; i++)
            {
                var c = line[i];
                if (c == '*' && i + 1 < line.Length && line[i + 1] == '*')
                {
                    // "**/" matches any number of folders (also none); a trailing "**" everything inside.
                    var slash = i + 2 < line.Length && line[i + 2] == '/';
                    regex.Append(slash ? "(?:.*/)?" : ".*");
                    i += slash ? 2 : 1;
                }
                else if (c == '*')
                {
                    regex.Append("[^/]*");
                }
                else if (c == '?')
                {
                    regex.Append("[^/]");
                }
                else
                {
                    regex.Append(Regex.Escape(c.ToString()));
                }
            }

            regex.Append('$');
            rules._rules.Add((new Regex(regex.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)), negated, folderOnly));
        }

        return rules;
    }

    public int Count => _rules.Count;

    /// <summary>Whether the file at <paramref name="path"/> (relative, '/'-separated) is ignored, itself or through a folder above it.</summary>
    public bool IsIgnored(string path)
    {
        if (_rules.Count == 0)
        {
            return false;
        }

        var segments = path.Split('/');
        for (var depth = 1; depth <= segments.Length; depth++)
        {
            var prefix = string.Join('/', segments.Take(depth));
            if (Matches(prefix, isFolder: depth < segments.Length))
            {
                return true;
            }
        }

        return false;
    }

    private bool Matches(string path, bool isFolder)
    {
        var ignored = false;
        foreach (var (pattern, negated, folderOnly) in _rules)
        {
            if ((!folderOnly || isFolder) && pattern.IsMatch(path))
            {
                ignored = !negated;
            }
        }

        return ignored;
    }
}
