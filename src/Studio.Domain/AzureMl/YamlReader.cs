using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Studio.Domain.AzureMl;

/// <summary>
/// The one way the studio loads YAML it is given (jobs, endpoints, assets, environments, conda files, kubeconfigs):
/// YamlDotNet's node loader recurses once per nesting level, and a stack overflow ends the process, so a file nested
/// deeper than <see cref="MaxDepth"/> — by brackets (<c>[[[</c>) or by block indentation alone (<c>- - - -</c>, one level
/// per two characters) — is refused first, by walking the parser's events without recursion.
/// </summary>
public static class YamlReader
{
    /// <summary>The deepest nesting of mappings and sequences a file may have; no Azure ML or Kubernetes file comes close.</summary>
    public const int MaxDepth = 64;

    /// <summary>Loads <paramref name="text"/>; a <see cref="YamlException"/> (with the line and column) when it cannot be read or nests too deep.</summary>
    public static YamlStream Load(string text)
    {
        RefuseDeepNesting(text);
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream;
    }

    private static void RefuseDeepNesting(string text)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case SequenceStart or MappingStart when ++depth > MaxDepth:
                    throw new YamlException(parser.Current.Start, parser.Current.End, $"The YAML nests more than {MaxDepth} levels deep; no Azure ML or Kubernetes file does.");
                case SequenceEnd or MappingEnd:
                    depth--;
                    break;
            }
        }
    }
}
