using YamlDotNet.Serialization;

namespace Studio.Web.Tests.Hosting;

/// <summary>The documents <c>helm template</c> printed, as plain YAML trees to look into by path.</summary>
internal sealed class RenderedManifests
{
    private readonly List<Dictionary<object, object>> _documents;

    public RenderedManifests(string yaml)
    {
        var deserializer = new DeserializerBuilder().Build();
        _documents = yaml.Split(["\n---"], StringSplitOptions.RemoveEmptyEntries)
            .Select(d => deserializer.Deserialize<Dictionary<object, object>?>(d))
            .OfType<Dictionary<object, object>>()
            .ToList();
    }

    public IReadOnlyList<string> Kinds => _documents.Select(d => (string)d["kind"]).ToList();

    /// <summary>The one document of <paramref name="kind"/> (named <paramref name="name"/> when given).</summary>
    public Node One(string kind, string? name = null) =>
        new(Assert.Single(_documents, d => (string)d["kind"] == kind && (name is null || (string)((Dictionary<object, object>)d["metadata"])["name"] == name)));

    public bool Has(string kind) => _documents.Any(d => (string)d["kind"] == kind);

    /// <summary>A YAML node; <see cref="this[string]"/> walks a dotted path (<c>spec.template.spec</c>, list items as <c>containers.0</c>).</summary>
    public sealed class Node(object? value)
    {
        public object? Value => value;

        public Node this[string path] => new(path.Split('.').Aggregate(value, (current, key) => current switch
        {
            Dictionary<object, object> map => map.TryGetValue(key, out var next) ? next : null,
            List<object> list when int.TryParse(key, out var i) && i < list.Count => list[i],
            _ => null,
        }));

        /// <summary>The child under a key that contains dots itself (an annotation, a label).</summary>
        public Node Key(string key) => new(value is Dictionary<object, object> map && map.TryGetValue(key, out var next) ? next : null);

        public string? Text => value?.ToString();

        public IReadOnlyList<Node> Items => value is List<object> list ? list.Select(i => new Node(i)).ToList() : [];

        /// <summary>The container environment variable <paramref name="name"/>'s value (or its <c>valueFrom</c> as text).</summary>
        public Node Env(string name) => Items.FirstOrDefault(e => e["name"].Text == name) ?? new Node(null);
    }
}
