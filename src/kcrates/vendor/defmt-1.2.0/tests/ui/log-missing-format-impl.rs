struct Foo;

fn main() {
    defmt::info!("{}", Foo)
}
