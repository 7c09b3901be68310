using System.Threading.Channels;

namespace Studio.Sandbox.Storage;

/// <summary>A live subscription to the store's changes of one storage key (or all keys).</summary>
internal sealed class StoreSubscription : IDisposable
{
    private readonly Action<StoreSubscription> _unsubscribe;
    private readonly Channel<StoreEvent> _channel;

    public StoreSubscription(string? storageKey, string? ns, int capacity, Action<StoreSubscription> unsubscribe)
    {
        StorageKey = storageKey;
        Namespace = ns;
        _unsubscribe = unsubscribe;
        _channel = Channel.CreateBounded<StoreEvent>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public string? StorageKey { get; }
    public string? Namespace { get; }

    /// <summary>Objects that existed when the subscription started (only when initial events were asked for).</summary>
    public IReadOnlyList<StoredObject> Initial { get; set; } = [];

    /// <summary>The store's resourceVersion when the subscription started.</summary>
    public long StartResourceVersion { get; set; }

    public ChannelReader<StoreEvent> Events => _channel.Reader;

    /// <summary>Called under the store lock; false when the subscriber fell too far behind (it is then closed).</summary>
    internal bool Offer(StoreEvent e)
    {
        if (_channel.Writer.TryWrite(e))
        {
            return true;
        }

        _channel.Writer.TryComplete(new SubscriberTooSlowException());
        return false;
    }

    internal void Complete() => _channel.Writer.TryComplete();

    public void Dispose()
    {
        _unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}
