"""One torch thread in the test process: the suite runs workers in parallel on few cores."""
import torch

torch.set_num_threads(1)
