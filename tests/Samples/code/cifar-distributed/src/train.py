"""Train a small CNN on CIFAR-10 with PyTorch DistributedDataParallel (one process per instance).

Run by Azure ML / Studio as: python train.py --epochs N --learning-rate LR --data-dir PATH
The launcher sets MASTER_ADDR, MASTER_PORT, WORLD_SIZE and RANK.
"""
import argparse
import os

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
import torchvision
import torchvision.transforms as transforms


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--learning-rate", type=float, default=0.001)
    parser.add_argument("--data-dir", type=str, required=True)
    args = parser.parse_args()

    distributed = int(os.environ.get("WORLD_SIZE", "1")) > 1
    if distributed:
        dist.init_process_group(backend="nccl" if torch.cuda.is_available() else "gloo")
    rank = dist.get_rank() if distributed else 0
    device = torch.device(f"cuda:{int(os.environ.get('LOCAL_RANK', '0'))}" if torch.cuda.is_available() else "cpu")

    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    train_set = torchvision.datasets.CIFAR10(root=args.data_dir, train=True, download=False, transform=transform)
    sampler = torch.utils.data.distributed.DistributedSampler(train_set) if distributed else None
    loader = torch.utils.data.DataLoader(train_set, batch_size=16, shuffle=sampler is None, sampler=sampler, num_workers=2)

    model = Net().to(device)
    if distributed:
        model = nn.parallel.DistributedDataParallel(model, device_ids=[device.index] if device.type == "cuda" else None)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.learning_rate, momentum=0.9)

    for epoch in range(args.epochs):
        if sampler is not None:
            sampler.set_epoch(epoch)
        running = 0.0
        for i, (inputs, labels) in enumerate(loader):
            inputs, labels = inputs.to(device), labels.to(device)
            optimizer.zero_grad()
            loss = criterion(model(inputs), labels)
            loss.backward()
            optimizer.step()
            running += loss.item()
            if i % 2000 == 1999 and rank == 0:
                print(f"epoch {epoch + 1}, batch {i + 1}: loss {running / 2000:.3f}", flush=True)
                running = 0.0

    if rank == 0:
        os.makedirs("outputs", exist_ok=True)
        torch.save(model.state_dict(), os.path.join("outputs", "cifar_net.pt"))
        print("Finished training", flush=True)
    if distributed:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
