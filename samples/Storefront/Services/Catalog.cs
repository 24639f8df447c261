namespace Storefront.Services;

public sealed record Product(int Id, string Name, string Description, decimal Price, bool OnSale);

/// <summary>The shop's products, in memory: the demo measures the web layer, not a database.</summary>
public sealed class Catalog
{
    private static readonly string[] Names =
    [
        "Teapot", "Kettle", "Cups (set of 4)", "Milk jug", "Sugar bowl", "Tea caddy", "Strainer", "Tray",
        "Cosy", "Infuser", "Saucers (set of 4)", "Coaster", "Timer", "Honey pot", "Scale", "Spoon",
        "Mug", "Carafe", "Tumbler", "Napkins",
    ];

    private readonly Product[] _products = Names
        .Select((name, index) => new Product(
            Id: index + 1,
            Name: name,
            Description: $"A {name.ToLowerInvariant()} for the everyday tea drinker, made to last.",
            Price: 9.90m + (index * 3.25m),
            OnSale: index % 3 == 0))
        .ToArray();

    public IReadOnlyList<Product> All => _products;

    public IEnumerable<Product> Deals => _products.Where(p => p.OnSale);

    public Product? Find(int id) => id >= 1 && id <= _products.Length ? _products[id - 1] : null;
}
