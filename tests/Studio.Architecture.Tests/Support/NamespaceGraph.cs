namespace Studio.Architecture.Tests.Support;

/// <summary>
/// Which namespace's code uses which other namespace's types, within the namespaces a filter selects, with one example
/// use per edge so a failure can say where to look.
/// </summary>
public sealed class NamespaceGraph
{
    private readonly SortedDictionary<string, SortedDictionary<string, TypeDependency>> _edges = new(StringComparer.Ordinal);

    public NamespaceGraph(IEnumerable<TypeDependency> dependencies, Func<string, bool> includes)
    {
        foreach (var dependency in dependencies)
        {
            var (from, to) = (dependency.Source.Namespace, dependency.Target.Namespace);
            if (from == to || !includes(from) || !includes(to))
            {
                continue;
            }

            if (!_edges.TryGetValue(from, out var targets))
            {
                _edges[from] = targets = new SortedDictionary<string, TypeDependency>(StringComparer.Ordinal);
            }

            if (!targets.TryGetValue(to, out var known) || string.CompareOrdinal(Describe(dependency), Describe(known)) < 0)
            {
                targets[to] = dependency;
            }

            Nodes.Add(to);
            Nodes.Add(from);
        }
    }

    public SortedSet<string> Nodes { get; } = new(StringComparer.Ordinal);

    /// <summary>The namespaces <paramref name="from"/> uses, each with an example use.</summary>
    public IReadOnlyDictionary<string, TypeDependency> Uses(string from) =>
        _edges.TryGetValue(from, out var targets) ? targets : new SortedDictionary<string, TypeDependency>(StringComparer.Ordinal);

    /// <summary>
    /// One cycle per strongly connected component of more than one namespace (Tarjan), each as the path
    /// <c>A → B → … → A</c>; empty when the namespaces form layers.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<string>> Cycles()
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();

        void Connect(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var next in Uses(node).Keys)
            {
                if (!index.ContainsKey(next))
                {
                    Connect(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (onStack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }

            if (low[node] != index[node])
            {
                return;
            }

            var component = new HashSet<string>(StringComparer.Ordinal);
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                component.Add(member);
            }
            while (member != node);

            if (component.Count > 1)
            {
                cycles.Add(CycleThrough(node, component));
            }
        }

        foreach (var node in Nodes.Where(n => !index.ContainsKey(n)))
        {
            Connect(node);
        }

        return cycles;
    }

    /// <summary>The cycle, one line per step with the use that makes it, e.g. <c>A → B (A.X uses B.Y)</c>.</summary>
    public string Explain(IReadOnlyList<string> cycle) =>
        string.Join(Environment.NewLine, cycle.Zip(cycle.Skip(1), (from, to) => $"  {from} → {to}   ({Describe(Uses(from)[to])})"));

    private static string Describe(TypeDependency dependency) => $"{dependency.Source.FullName} uses {dependency.Target.FullName}";

    /// <summary>A shortest path from <paramref name="start"/> back to itself inside one component (breadth-first).</summary>
    private List<string> CycleThrough(string start, HashSet<string> component)
    {
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var next in Uses(node).Keys.Where(component.Contains))
            {
                if (next == start)
                {
                    var path = new List<string> { start };
                    for (var at = node; at != start; at = previous[at])
                    {
                        path.Add(at);
                    }

                    path.Add(start);
                    path.Reverse();
                    return path;
                }

                if (previous.TryAdd(next, node))
                {
                    queue.Enqueue(next);
                }
            }
        }

        throw new InvalidOperationException($"{start} is in a strongly connected component but no cycle returns to it.");
    }
}
