// Planted violations: the rule tests run the rules on this test assembly and must find exactly these.
namespace Studio.Architecture.Tests.Samples.Cycle.Orders
{
    /// <summary>Uses Billing through a property type.</summary>
    public sealed class Order
    {
        public Billing.Invoice? Invoice { get; set; }
    }
}

namespace Studio.Architecture.Tests.Samples.Cycle.Billing
{
    /// <summary>Uses Orders only inside a method body, so only reading the IL finds the cycle.</summary>
    public sealed class Invoice
    {
        public static string Describe() => new Orders.Order().ToString() ?? string.Empty;
    }
}
